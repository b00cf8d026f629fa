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
            app = await GatewayHost.BuildAsync(args).ConfigureAwait(false);
        }
        catch (GatewayStartupException ex)
        {
            await error.WriteLineAsync("tradefinder-gateway: refusing to start: " + ex.Message).ConfigureAwait(false);
            return GatewayStartupException.ExitCode;
        }

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
            catch (GatewayStartupException ex)
            {
                // Checks that need the exchange (key restrictions) run as the host starts, before ports open.
                await error.WriteLineAsync("tradefinder-gateway: refusing to start: " + ex.Message).ConfigureAwait(false);
                return GatewayStartupException.ExitCode;
            }
        }

        return 0;
    }
}
