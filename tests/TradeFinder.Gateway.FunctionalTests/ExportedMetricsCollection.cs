namespace TradeFinder.Gateway.FunctionalTests;

/// <summary>
/// Tests that read values from a host's <c>/metrics</c>. The OpenTelemetry SDK listens to every meter of a name in the
/// process, so a gateway host scrapes the instruments of every other host alive at the time (an observable gauge shows
/// whichever host answered last). These tests run alone, after the parallel ones, so what they read is their own host's.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExportedMetricsCollection
{
    public const string Name = "Exported metrics";
}
