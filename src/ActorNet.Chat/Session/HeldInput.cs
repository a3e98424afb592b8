using Akka.IO;

namespace ActorNet.Chat.Session;

/// <summary>
/// The lines a session holds back ("fakelag"): read from the client but not run yet, because the flood bucket is empty
/// or an earlier command is still waiting for the chat service. Once <see cref="PauseAt"/> lines are held the session
/// asks its connection to stop reading the client (the kernel buffer and TCP's window hold the rest, so a pasting
/// client is slowed down, never cut); at half of it reading resumes. What the connection had already read when the
/// pause took effect still arrives: that part cannot be paused, and only it is bounded by <see cref="MaxBytes"/>
/// (<c>flood.max-held-bytes</c>): more held bytes than that is a flood. Each line keeps the read credit it came with
/// (<see cref="ActorNet.Transport.InputCredit"/>) until it is taken, so the connection also stops reading once
/// <c>input-credit-bytes</c> are held, whatever the line count. Pure and not thread-safe.
/// </summary>
public sealed class HeldInput
{
    /// <summary>What holding one more line means for the session.</summary>
    public enum Verdict
    {
        /// <summary>Held; nothing to do.</summary>
        Held,
        /// <summary>Held, and the held lines reached <see cref="PauseAt"/>: pause the connection's input now.</summary>
        Pause,
        /// <summary>Not held: it would pass <see cref="MaxBytes"/> (input that arrived although reads were paused).</summary>
        Flood,
    }

    private readonly Queue<(ByteString Line, long Credit)> _lines = new();
    private long _bytes, _credit;

    /// <param name="maxQueued">flood.max-queued: lines held before input pauses (0 = pause as soon as one is held)</param>
    /// <param name="maxBytes">flood.max-held-bytes: held payload bytes beyond which the client is flooding</param>
    public HeldInput(int maxQueued, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueued);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        PauseAt = Math.Max(1, maxQueued);
        MaxBytes = maxBytes;
    }

    public int PauseAt { get; }

    /// <summary>Input resumes once this many lines or fewer are held (half of <see cref="PauseAt"/>: hysteresis, so a
    /// client paced at the flood rate is not paused and resumed line by line).</summary>
    public int ResumeAt => PauseAt / 2;

    public long MaxBytes { get; }

    /// <summary>True from a <see cref="Verdict.Pause"/> until <see cref="TryTake"/> reports the resume.</summary>
    public bool Paused { get; private set; }

    public int Count => _lines.Count;

    public long Bytes => _bytes;

    /// <summary>The read credit the held lines keep from the connection.</summary>
    public long Credit => _credit;

    /// <param name="credit">the line's read credit, given back when it is taken (0: it came without)</param>
    public Verdict Add(ByteString line, long credit)
    {
        if (_bytes + line.Count > MaxBytes) return Verdict.Flood;
        _lines.Enqueue((line, credit));
        _bytes += line.Count;
        _credit += credit;
        if (Paused || _lines.Count < PauseAt) return Verdict.Held;
        Paused = true;
        return Verdict.Pause;
    }

    /// <summary>Takes the oldest held line and its read credit; <paramref name="resume"/> is true once when input
    /// should be resumed.</summary>
    public bool TryTake(out ByteString line, out long credit, out bool resume)
    {
        resume = false;
        if (!_lines.TryDequeue(out var held))
        {
            line = ByteString.Empty;
            credit = 0;
            return false;
        }

        (line, credit) = held;
        _bytes -= line.Count;
        _credit -= credit;
        if (Paused && _lines.Count <= ResumeAt)
        {
            Paused = false;
            resume = true;
        }

        return true;
    }

    /// <summary>Forgets every held line (the session is closing or restarting) and returns their read credit, to be
    /// given back; whether input is paused stays as it is.</summary>
    public long Clear()
    {
        var credit = _credit;
        _lines.Clear();
        _bytes = 0;
        _credit = 0;
        return credit;
    }
}
