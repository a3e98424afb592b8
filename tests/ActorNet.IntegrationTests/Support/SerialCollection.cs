using Xunit;

namespace ActorNet.IntegrationTests.Support;

/// <summary>Tests that load the machine hard (chaos, kills under load) or measure time (toxics) run in this
/// collection: xunit runs it alone, after the parallel collections, so neither disturbs the other on 2 cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial: heavy or timing-sensitive";
}
