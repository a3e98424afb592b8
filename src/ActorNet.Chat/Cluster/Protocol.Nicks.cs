using Akka.Actor;

namespace ActorNet.Chat.Cluster;

// The nick registry's protocol (see Protocol.cs): between every node's chat/nicks (and chat/users) and the one
// NickRegistry singleton. A claimant is the claiming session's actor path (unique per node and incarnation).

/// <summary>Claim <paramref name="Nick"/> for <paramref name="Claimant"/> on <paramref name="Node"/> (and release
/// <paramref name="Release"/> on success: a nick change).</summary>
public sealed record NickClaim(long Id, string Nick, string? Release, Address Node, string Claimant) : IChatClusterMessage;

/// <summary>The decision on a <see cref="NickClaim"/>.</summary>
public sealed record NickClaimResult(long Id, string Nick, string Claimant, bool Granted) : IChatClusterMessage;

/// <summary>The claimant no longer holds the nick (quit, renamed, or a claim that came too late).</summary>
public sealed record NickRelease(string Nick, Address Node, string Claimant) : IChatClusterMessage;

/// <summary>One nick a node holds, and its claimant.</summary>
public sealed record NickHolder(string Nick, string Claimant);

/// <summary>A node's current nicks (answering <see cref="NickReassertRequest"/> after a hand-over); conflicts keep
/// the existing entry.</summary>
public sealed record NickReassert(Address Node, NickHolder[] Nicks) : IChatClusterMessage
{
    public bool Equals(NickReassert? other) => other is not null && Node.Equals(other.Node) && Nicks.SequenceEqual(other.Nicks);

    public override int GetHashCode() => HashCode.Combine(Node, Nicks.Length);
}

/// <summary>A new registry instance asks a chat service for its nicks; it answers with <see cref="NickReassert"/>.</summary>
public sealed record NickReassertRequest : IChatClusterMessage
{
    public static readonly NickReassertRequest Instance = new();
}

/// <summary>Who owns a nick (tests, diagnostics); answered with <see cref="NickOwner"/>.</summary>
public sealed record NickOwnerQuery(string Nick) : IChatClusterMessage;

/// <summary>The owner's node of a nick (null: free).</summary>
public sealed record NickOwner(string Nick, Address? Node) : IChatClusterMessage;
