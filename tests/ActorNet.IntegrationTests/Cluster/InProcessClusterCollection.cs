using Xunit;

namespace ActorNet.IntegrationTests.Cluster;

/// <summary>
/// In-process clusters of 2-4 ActorSystems run alone, after the parallel tests: their failure detectors (down-after
/// of a few seconds) must not starve on a loaded 2-core machine, and their traffic must not count in the managed
/// memory that other tests of this process measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InProcessClusterCollection
{
    /// <summary>Collection name.</summary>
    public const string Name = "in-process cluster (alone)";
}
