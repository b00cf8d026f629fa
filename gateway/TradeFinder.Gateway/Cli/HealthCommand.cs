using System.Net;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Cli;

/// <summary>
/// <c>health [--ready]</c>: asks the local gateway's ops port for <c>/healthz</c> (or <c>/readyz</c>) and exits
/// 0 on 200. Container health checks use it: the chiseled runtime image has no shell and no curl.
/// </summary>
internal static class HealthCommand
{
    public static async Task<int> RunAsync(IConfiguration configuration, string[] args, TextWriter output)
    {
        var path = args switch
        {
            [] => "healthz",
            ["--ready"] => "readyz",
            _ => throw new GatewayCli.CliException("usage: health [--ready]"),
        };
        var listeners = configuration.GetSection(ListenerOptions.Section).Get<ListenerOptions>() ?? new ListenerOptions();
        var endpoint = ListenerOptions.ParseEndpoint(listeners.OpsEndpoint);

        // A gateway listening on every address is asked on loopback, from inside its own container or host.
        var address = endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.Loopback : endpoint.Address;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(new Uri($"http://{new IPEndPoint(address, endpoint.Port)}/{path}")).ConfigureAwait(false);
            await output.WriteLineAsync($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}").ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"{path}: no answer from {address}:{endpoint.Port} ({ex.GetType().Name})").ConfigureAwait(false);
            return 1;
        }
    }
}
