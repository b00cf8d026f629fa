using System.Globalization;
using System.Text.Json;

namespace TradeFinder.Gateway.Cli;

/// <summary><c>keys status|rotate|rollback</c> through the admin API; prints fingerprints and steps, never key material.</summary>
internal static class KeyCommands
{
    public static async Task<int> RunAsync(IConfiguration configuration, string[] args, TextWriter output)
    {
        var adminName = Option(args, "--admin");
        using var http = AdminApiClient.Create(configuration, adminName);
        switch (args)
        {
            case ["keys", "status", ..]:
                return await StatusAsync(http, output).ConfigureAwait(false);
            case ["keys", "rotate" or "rollback", ..]:
                var set = Option(args, "--set") ?? await OnlyRotatableSetAsync(http).ConfigureAwait(false);
                using (var response = await http.PostAsync(new Uri($"admin/keys/{Uri.EscapeDataString(set)}/{args[1]}", UriKind.Relative), null).ConfigureAwait(false))
                {
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
                    var root = json.RootElement;
                    foreach (var step in root.GetProperty("steps").EnumerateArray())
                    {
                        var ok = step.GetProperty("ok").GetBoolean();
                        await output.WriteLineAsync($"{step.GetProperty("step").GetString(),-9} {(ok ? "ok" : "FAILED"),-7} {step.GetProperty("detail").GetString()}").ConfigureAwait(false);
                    }

                    await output.WriteLineAsync($"key set {set}: {root.GetProperty("outcome").GetString()}").ConfigureAwait(false);
                    return response.IsSuccessStatusCode ? 0 : 1;
                }

            default:
                throw new GatewayCli.CliException("usage: keys status | keys rotate [--set NAME] | keys rollback [--set NAME]  [--admin NAME]");
        }
    }

    private static async Task<int> StatusAsync(HttpClient http, TextWriter output)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri("admin/keys", UriKind.Relative)).ConfigureAwait(false));
        foreach (var set in json.RootElement.GetProperty("sets").EnumerateArray())
        {
            await output.WriteLineAsync($"{set.GetProperty("set").GetString()}: {set.GetProperty("mode").GetString()} {set.GetProperty("purpose").GetString()} key, group {set.GetProperty("group").GetString()}, from {set.GetProperty("provider").GetString()} ({set.GetProperty("source").GetString()})").ConfigureAwait(false);
            await output.WriteLineAsync("  active    " + Key(set.GetProperty("active"))).ConfigureAwait(false);
            if (set.GetProperty("previous").ValueKind == JsonValueKind.Object)
            {
                await output.WriteLineAsync($"  previous  {Key(set.GetProperty("previous"))}, rollback until {set.GetProperty("rollbackUntil").GetDateTimeOffset().ToString("u", CultureInfo.InvariantCulture)}").ConfigureAwait(false);
            }

            if (set.GetProperty("lastValidation") is { ValueKind: JsonValueKind.Object } v)
            {
                await output.WriteLineAsync($"  validated {v.GetProperty("fingerprint").GetString()} {(v.GetProperty("ok").GetBoolean() ? "ok" : "FAILED")} at {v.GetProperty("at").GetDateTimeOffset().ToString("u", CultureInfo.InvariantCulture)}: {v.GetProperty("summary").GetString()}").ConfigureAwait(false);
            }
        }

        return 0;
    }

    private static string Key(JsonElement key) =>
        $"{key.GetProperty("fingerprint").GetString()} {key.GetProperty("type").GetString()} {key.GetProperty("version").GetString()}, age {TimeSpan.FromSeconds(key.GetProperty("ageSeconds").GetInt64())}, host {key.GetProperty("host").GetString()}";

    private static async Task<string> OnlyRotatableSetAsync(HttpClient http)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri("admin/keys", UriKind.Relative)).ConfigureAwait(false));
        var names = json.RootElement.GetProperty("sets").EnumerateArray()
            .Where(s => s.GetProperty("provider").GetString() != "generated")
            .Select(s => s.GetProperty("set").GetString()!).ToArray();
        return names.Length == 1
            ? names[0]
            : throw new GatewayCli.CliException(names.Length == 0 ? "this gateway holds no rotatable key (paper mode generates its key)." : $"several key sets ({string.Join(", ", names)}); name one with --set.");
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
