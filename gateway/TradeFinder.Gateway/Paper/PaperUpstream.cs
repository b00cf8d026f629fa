using TradeFinder.Gateway.Context;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Limits;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.Gateway.Paper;

/// <summary>Starts the built-in paper exchange on loopback, keyed with a paper key that never leaves the process.</summary>
internal static class PaperUpstream
{
    public static async Task<PaperExchangeServer> StartAsync(
        PaperOptions options, GatewayPaths paths, string apiKey, ReadOnlyMemory<byte> secret, TimeProvider time, CancellationToken cancellationToken)
    {
        var server = await PaperExchangeServer.StartAsync(new PaperExchangeSettings
        {
            Credentials = [new PaperCredential(apiKey, secret.ToArray())],
            StartingBalance = options.PaperStartingBalance,
            JournalEnabled = options.PaperJournal,
            StatePath = paths.PaperStateFile,
            Limits = new RateLimitSettings { WeightPerMinute = options.PaperWeightPerMinute, OrdersPer10Seconds = options.PaperOrdersPer10Seconds, OrdersPerMinute = options.PaperOrdersPerMinute },
            Seed = options.PaperSeed,
            KlineReplays = options.PaperReplays,
            Quiet = true,
        }, time, cancellationToken).ConfigureAwait(false);

        // `paper reset` finds the running simulator here.
        SecureFiles.WriteAllText(paths.PaperEndpointFile, server.BaseAddress.ToString());
        return server;
    }
}
