using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Paper;
using TradeFinder.Gateway.Routing;

namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// What is decided before anything starts, from configuration alone: the mode, the settings Kestrel and the
/// paper exchange need before the container exists (checked with the same validators the container runs),
/// the loopback-only upstream override, and core dumps off. Anything wrong refuses the start.
/// </summary>
internal sealed record StartupChecks(
    TradingMode Mode, ListenerOptions Listeners, RequestOptions Requests, TlsOptions Tls, PaperOptions Paper, ConnectionLimitsOptions Limits, Uri? Override)
{
    /// <summary>Things worth saying once the gateway runs (logged at start, never fatal).</summary>
    public List<string> Warnings { get; } = [];

    /// <param name="configuration">Settings and environment.</param>
    /// <param name="inProcessUpstream">
    /// An upstream given in code by whoever hosts the gateway in-process (tests, benchmarks, against the paper
    /// exchange): unlike the environment override, no setting can supply it, so it is the only way to point a live
    /// gateway anywhere but the exchange.
    /// </param>
    public static StartupChecks Run(IConfiguration configuration, Uri? inProcessUpstream = null)
    {
        if (!TradingModes.TryParse(configuration[TradingModes.VariableName], out var mode))
        {
            throw new GatewayStartupException(
                $"{TradingModes.VariableName} must be one of: {string.Join(", ", TradingModes.AllowedValues)} (unset means paper).");
        }

        var checks = new StartupChecks(
            mode,
            ValidatedOptions.BindNow(ListenerOptions.Section, () => configuration.GetSection(ListenerOptions.Section).Get<ListenerOptions>(), new ListenerOptionsValidator(), new ListenerOptionsCustomValidator()),
            ValidatedOptions.BindNow(RequestOptions.Section, () => configuration.GetSection(RequestOptions.Section).Get<RequestOptions>(), new RequestOptionsValidator()),
            ValidatedOptions.BindNow(TlsOptions.Section, () => configuration.GetSection(TlsOptions.Section).Get<TlsOptions>(), new TlsOptionsValidator()),
            ValidatedOptions.BindNow(PaperOptions.Section, () => configuration.GetSection(PaperOptions.Section).Get<PaperOptions>(), new PaperOptionsValidator()),
            ValidatedOptions.BindNow(ConnectionLimitsOptions.Section, () => configuration.GetSection(ConnectionLimitsOptions.Section).Get<ConnectionLimitsOptions>(), new ConnectionLimitsOptionsValidator()),
            UpstreamOverride.Parse(configuration[UpstreamOverride.VariableName]) ?? UpstreamOverride.Parse(inProcessUpstream?.ToString()));

        // An override left in a live environment would send the production key's signed traffic elsewhere.
        UpstreamPins.Read(configuration); // malformed pins stop the start, naming the host

        if (mode == TradingMode.Live && !string.IsNullOrWhiteSpace(configuration[UpstreamOverride.VariableName]))
        {
            throw new GatewayStartupException($"{UpstreamOverride.VariableName} is refused in live mode: live keys are only sent to the exchange's own host. Unset it.");
        }

        if (checks.Override is not null && mode == TradingMode.Paper)
        {
            checks.Warnings.Add($"{UpstreamOverride.VariableName} is ignored in paper mode: the built-in simulator is the upstream.");
        }

        if (ProcessHardening.DisableCoreDumps() is { } problem)
        {
            checks.Warnings.Add("Core dumps could not be disabled: " + problem);
        }

        // Live keys never run next to a dump or a diagnostics port unless the operator says so explicitly.
        var diagnostics = RuntimeDiagnostics.Problems(configuration);
        if (diagnostics.Count > 0 && mode == TradingMode.Live && configuration[RuntimeDiagnostics.AllowInLiveSetting] != "true")
        {
            throw new GatewayStartupException($"TRADING_MODE=live refuses to start while {string.Join("; ", diagnostics)} (or set {RuntimeDiagnostics.AllowInLiveSetting}=true).");
        }

        checks.Warnings.AddRange(diagnostics.Select(d => "Key material could leave the process: " + d + "."));

        return checks;
    }

    /// <summary>The upstream of each mode served: the paper exchange always, the exchange (or the override) for testnet/live.</summary>
    public (UpstreamDirectory Directory, IReadOnlyDictionary<TradingMode, Uri?> RestrictionHosts) Upstreams(Uri paperAddress)
    {
        var upstreams = new Dictionary<TradingMode, Uri> { [TradingMode.Paper] = paperAddress };
        var restrictions = new Dictionary<TradingMode, Uri?> { [TradingMode.Paper] = paperAddress };
        if (Mode != TradingMode.Paper)
        {
            upstreams[Mode] = Override ?? ExchangeEndpoints.For(Mode);
            restrictions[Mode] = Override ?? ExchangeEndpoints.RestrictionsHost(Mode);
        }

        return (new UpstreamDirectory(Mode, upstreams), restrictions);
    }
}
