using System.Globalization;
using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Cli;

/// <summary><c>audit verify</c> reads the store directly (works with the gateway stopped); <c>audit tail</c> asks the admin API.</summary>
internal static class AuditCommands
{
    public static async Task<int> VerifyAsync(IConfiguration configuration, TextWriter output)
    {
        var options = AuditServiceCollectionExtensions.BindOptions(configuration);
        var paths = GatewayPaths.From(configuration);
        using var key = AuditChainKey.Load(configuration, paths);
        await using var store = AuditServiceCollectionExtensions.CreateStore(options, paths);
        await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var result = await AuditChain.VerifyAsync(store, key, AuditCheckpoints.For(configuration, paths, key), CancellationToken.None).ConfigureAwait(false);
        if (result.Valid)
        {
            await output.WriteLineAsync($"Audit chain intact: {result.Checked} rows verified ({store.Name}).").ConfigureAwait(false);
            return 0;
        }

        await output.WriteLineAsync($"AUDIT CHAIN BROKEN after {result.Checked} good rows: {result.Problem}").ConfigureAwait(false);
        return 3;
    }

    public static async Task<int> TailAsync(IConfiguration configuration, string[] args, TextWriter output)
    {
        string? bot = null, type = null, admin = null;
        var count = 20;
        var follow = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--bot" when i + 1 < args.Length: bot = args[++i]; break;
                case "--type" when i + 1 < args.Length: type = args[++i]; break;
                case "--admin" when i + 1 < args.Length: admin = args[++i]; break;
                case "-n" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out count): i++; break;
                case "--follow" or "-f": follow = true; break;
                default: throw new GatewayCli.CliException($"unknown option '{args[i]}' (audit tail [--bot B] [--type T] [-n N] [--follow] [--admin NAME])");
            }
        }

        using var http = AdminApiClient.Create(configuration, admin);
        var filter = (bot is null ? "" : "&bot=" + Uri.EscapeDataString(bot)) + (type is null ? "" : "&type=" + Uri.EscapeDataString(type));
        var events = await http.GetFromJsonAsync(new Uri($"admin/audit?limit={count}{filter}", UriKind.Relative), AdminJson.Default.AuditEventArray).ConfigureAwait(false) ?? [];
        var last = 0L;
        foreach (var e in events.Reverse())
        {
            await Print(e).ConfigureAwait(false);
            last = e.Sequence;
        }

        while (follow)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), TimeProvider.System).ConfigureAwait(false);
            foreach (var e in await http.GetFromJsonAsync(new Uri($"admin/audit?after={last}&limit=1000{filter}", UriKind.Relative), AdminJson.Default.AuditEventArray).ConfigureAwait(false) ?? [])
            {
                await Print(e).ConfigureAwait(false);
                last = e.Sequence;
            }
        }

        return 0;

        Task Print(AuditEvent e) => output.WriteLineAsync(
            $"{e.Sequence,8} {DateTimeOffset.FromUnixTimeMilliseconds(e.OccurredAtMs):O} {e.Type,-16} {e.Bot ?? "-",-12} {e.Endpoint ?? "-",-32} {e.Outcome} {e.Details}");
    }
}
