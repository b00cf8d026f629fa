using System.Text.RegularExpressions;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Cli;

/// <summary>
/// Ops verbs on the gateway executable. Certificate verbs work on the data dir directly (the running
/// gateway re-reads the registry on change); they print what changed and never print key material.
/// </summary>
internal static partial class GatewayCli
{
    private static readonly string[] Verbs = ["certs", "paper", "audit", "bots", "keys", "halt", "reduce", "resume", "health", "help", "--help"];

    public static bool IsVerb(string arg) => Verbs.Contains(arg, StringComparer.Ordinal);

    public static IConfiguration DefaultConfiguration() =>
        new ConfigurationBuilder().AddEnvironmentVariables().Build();

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter output, TextWriter error)
    {
        try
        {
            return args switch
            {
                ["certs", "issue", "--bot", var name, .. var rest] => await IssueAsync(configuration, ClientRole.Bot, name, rest, output).ConfigureAwait(false),
                ["certs", "issue", "--admin", var name] => await IssueAsync(configuration, ClientRole.Admin, name, [], output).ConfigureAwait(false),
                ["certs", "revoke", "--admin", var admin] => await RevokeAdminAsync(configuration, admin, output).ConfigureAwait(false),
                ["certs", "revoke", var name] => await RevokeAsync(configuration, name, output).ConfigureAwait(false),
                ["health", .. var health] => await HealthCommand.RunAsync(configuration, health, output).ConfigureAwait(false),
                ["paper", "reset"] => await ResetPaperAsync(configuration, output).ConfigureAwait(false),
                ["audit", "verify"] => await AuditCommands.VerifyAsync(configuration, output).ConfigureAwait(false),
                ["audit", "tail", .. var options] => await AuditCommands.TailAsync(configuration, options, output).ConfigureAwait(false),
                ["keys", ..] => await KeyCommands.RunAsync(configuration, args, output).ConfigureAwait(false),
                ["bots" or "halt" or "reduce" or "resume", ..] => await BotCommands.RunAsync(configuration, args, output).ConfigureAwait(false),
                _ => await UsageAsync(error).ConfigureAwait(false),
            };
        }
        catch (CliException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        catch (GatewayStartupException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return GatewayStartupException.ExitCode;
        }
    }

    private static async Task<int> IssueAsync(IConfiguration configuration, ClientRole role, string name, string[] rest, TextWriter output)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new CliException($"'{name}' is not a valid name: use 1-32 of a-z, 0-9, '-' and '_', starting with a letter or digit.");
        }

        var mode = TradingMode.Paper;
        List<string>? scopes = null;
        string? bundle = null;
        for (var i = 0; i < rest.Length; i += 2)
        {
            switch (rest[i])
            {
                case "--mode" when i + 1 < rest.Length:
                    if (!TradingModes.TryParse(rest[i + 1], out mode))
                    {
                        throw new CliException($"--mode must be one of: {string.Join(", ", TradingModes.AllowedValues)}.");
                    }

                    break;
                case "--scopes" when i + 1 < rest.Length:
                    scopes = [.. rest[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                    if (scopes.FirstOrDefault(s => !BotPolicies.AllScopes.Contains(s)) is { } unknown)
                    {
                        throw new CliException($"unknown scope '{unknown}'; known: {string.Join(", ", BotPolicies.AllScopes)}.");
                    }

                    break;
                case "--out" when i + 1 < rest.Length:
                    bundle = Path.GetFullPath(rest[i + 1]);
                    break;
                default:
                    throw new CliException("usage: certs issue --bot NAME [--mode paper|testnet|live] [--scopes market:read,account:read,trade,...] [--out DIR]");
            }
        }

        var paths = GatewayPaths.From(configuration);
        var certificatePaths = CertificatePaths.From(configuration);
        SecureFiles.EnsureDirectory(paths.DataDir);
        var time = TimeProvider.System;
        using var ca = CertificateAuthority.LoadOrCreate(certificatePaths, time);
        var (certificate, key) = ca.IssueClient(role, name);
        using (certificate)
        using (key)
        {
            var directory = certificatePaths.ClientDir(role, name);
            var certificatePath = Path.Combine(directory, name + ".crt");
            var keyPath = Path.Combine(directory, name + ".key");
            Pem.Write(certificatePath, keyPath, certificate, key);
            var record = new BotRecord
            {
                Name = name,
                CertificateSha256 = BotRegistry.Thumbprint(certificate),
                Mode = mode,
                IssuedAt = time.GetUtcNow(),
                Scopes = scopes,
            };
            using (var registries = RegistryStorages.Open(configuration))
            {
                if (role == ClientRole.Bot)
                {
                    new BotRegistry(registries.Bots).Upsert(record);
                }
                else
                {
                    new AdminRegistry(registries.Admins).Upsert(record);
                }
            }

            await output.WriteLineAsync($"Issued {role.ToString().ToLowerInvariant()} certificate for '{name}'" +
                (role == ClientRole.Bot ? $" (mode {mode.ToConfigValue()}, registered; any earlier certificate for '{name}' no longer works)" : " (registered for the admin port)")).ConfigureAwait(false);
            await output.WriteLineAsync($"  certificate: {certificatePath}").ConfigureAwait(false);
            await output.WriteLineAsync($"  private key: {keyPath} (mode 0600; keep it with the bot only)").ConfigureAwait(false);
            await output.WriteLineAsync($"  CA:          {certificatePaths.CaCertificate}").ConfigureAwait(false);
            if (bundle is not null)
            {
                // Everything the bot needs and nothing more (its certificate, its key, the CA to trust), e.g. for a
                // volume shared with a bot container; the data dir itself holds the CA key and stays with the gateway.
                Pem.Write(Path.Combine(bundle, name + ".crt"), Path.Combine(bundle, name + ".key"), certificate, key);
                SecureFiles.WriteAllText(Path.Combine(bundle, "ca.crt"), await File.ReadAllTextAsync(certificatePaths.CaCertificate).ConfigureAwait(false));
                await output.WriteLineAsync($"  bundle:      {bundle} ({name}.crt, {name}.key, ca.crt)").ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(IConfiguration configuration, string name, TextWriter output)
    {
        using var registries = RegistryStorages.Open(configuration);
        var registry = new BotRegistry(registries.Bots);
        if (!registry.SetStatus(name, BotStatus.Revoked))
        {
            throw new CliException($"No bot named '{name}' is registered in {registry.Location}.");
        }

        await output.WriteLineAsync($"Revoked bot '{name}': its certificate is refused from the next request on.").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RevokeAdminAsync(IConfiguration configuration, string name, TextWriter output)
    {
        using var registries = RegistryStorages.Open(configuration);
        var registry = new AdminRegistry(registries.Admins);
        if (!registry.SetStatus(name, BotStatus.Revoked))
        {
            throw new CliException($"No admin named '{name}' is registered in {registry.Location}.");
        }

        await output.WriteLineAsync($"Revoked admin '{name}': its certificate is refused on the admin port from the next request on.").ConfigureAwait(false);
        return 0;
    }

    /// <summary>Restores the paper account's starting balance: live through the running gateway, else on disk.</summary>
    private static async Task<int> ResetPaperAsync(IConfiguration configuration, TextWriter output)
    {
        var paths = GatewayPaths.From(configuration);
        if (File.Exists(paths.PaperEndpointFile))
        {
            var endpoint = new Uri((await File.ReadAllTextAsync(paths.PaperEndpointFile).ConfigureAwait(false)).Trim());
            if (endpoint.IsLoopback)
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                try
                {
                    using var response = await http.PostAsync(new Uri(endpoint, "paper/control/reset"), null).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        await output.WriteLineAsync("Paper account reset to its starting balance (running gateway).").ConfigureAwait(false);
                        return 0;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not running: fall through to the offline reset.
                }
            }
        }

        File.Delete(paths.PaperStateFile);
        await output.WriteLineAsync("Paper account reset: saved state removed; the next start begins at the starting balance.").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> UsageAsync(TextWriter error)
    {
        await error.WriteLineAsync("""
            usage: TradeFinder.Gateway [verb]
              (no verb)                                   run the gateway (TRADING_MODE=paper|testnet|live, default paper)
              certs issue --bot NAME [--mode MODE] [--scopes a,b] [--out DIR]   issue and register a bot client certificate
                                                          (--out: also write NAME.crt, NAME.key and ca.crt to DIR for the bot)
              certs issue --admin NAME                    issue an admin client certificate
              certs revoke NAME                           revoke a bot; effective on its next request
              certs revoke --admin NAME                   revoke an admin certificate; effective on its next request
              bots list | show NAME | suspend NAME | revoke NAME | activate NAME
              bots set NAME [--scopes a,b] [--mode M] [--symbols S1,S2] [--order-types T1,T2] [--max-order-notional N]
                            [--max-position-notional N] [--max-leverage N] [--margin-type ISOLATED|CROSSED]
                            [--position-mode hedge|one-way] [--max-open-orders N] [--key-group G]
              keys status                                 key sets: fingerprints, purpose, age, last validation
              keys rotate [--set NAME]                    stage the source's new key, validate it, promote it
              keys rollback [--set NAME]                  back to the previous key (within the rollback window)
              halt --bot NAME [--cancel-open] | halt --all [--cancel-open]    only cancels pass
              reduce --bot NAME | reduce --all                               only cancels and reduce-only orders pass
              resume [--bot NAME]                                            back to ACTIVE (gateway-wide without --bot)
              paper reset                                 restore the paper account's starting balance
              health [--ready]                            exit 0 when the local gateway's /healthz (or /readyz) answers 200
              audit verify                                check the audit hash chain (changed, removed or re-ordered rows)
              audit tail [--bot B] [--type T] [-n N] [--follow] [--admin NAME]   recent audit events via the admin API
            """).ConfigureAwait(false);
        return 1;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$")]
    private static partial Regex NamePattern();

    internal sealed class CliException(string message) : Exception(message);
}
