using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Cli;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Hosting;

namespace TradeFinder.Gateway;

/// <summary>One executable: with a verb it is the ops CLI, without one it is the gateway.</summary>
internal static class GatewayProgram
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length > 0 && GatewayCli.IsVerb(args[0]))
        {
            return await GatewayCli.RunAsync(args, GatewayCli.DefaultConfiguration(), output, error).ConfigureAwait(false);
        }

        WebApplication app;
        try
        {
            app = await GatewayHost.BuildAsync(args, ownsProcess: true).ConfigureAwait(false);
        }
        catch (GatewayStartupException ex)
        {
            await error.WriteLineAsync("tradefinder-gateway: refusing to start: " + ex.Message).ConfigureAwait(false);
            return GatewayStartupException.ExitCode;
        }

        var configuration = app.Configuration; // read before a failed run disposes the host's services
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.RunAsync().ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                await error.WriteLineAsync("tradefinder-gateway: refusing to start: " + string.Join(" ", ex.Failures)).ConfigureAwait(false);
                return GatewayStartupException.ExitCode;
            }
            catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
                || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await error.WriteLineAsync("tradefinder-gateway: refusing to start: " + PortInUse(configuration, ex.Message)).ConfigureAwait(false);
                return GatewayStartupException.ExitCode;
            }
            catch (GatewayStartupException ex)
            {
                // Checks that need the exchange (key restrictions) run as the host starts, before ports open.
                await error.WriteLineAsync("tradefinder-gateway: refusing to start: " + ex.Message).ConfigureAwait(false);
                return GatewayStartupException.ExitCode;
            }
        }

        return 0;
    }

    /// <summary>One line naming the setting to change, instead of Kestrel's stack trace.</summary>
    private static string PortInUse(IConfiguration configuration, string message)
    {
        var listeners = configuration.GetSection(ListenerOptions.Section).Get<ListenerOptions>() ?? new ListenerOptions();
        var setting = new[] { ("Gateway__BotsEndpoint", listeners.BotsEndpoint), ("Gateway__AdminEndpoint", listeners.AdminEndpoint), ("Gateway__OpsEndpoint", listeners.OpsEndpoint) }
            .FirstOrDefault(e => message.Contains(":" + ListenerOptions.ParseEndpoint(e.Item2).Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return setting.Item1 is null
            ? "a port the gateway listens on is already in use; change Gateway__BotsEndpoint, Gateway__AdminEndpoint or Gateway__OpsEndpoint."
            : $"{setting.Item2} is already in use by another process; set {setting.Item1} to a free address:port.";
    }
}
