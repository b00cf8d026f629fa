using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TradeFinder.Gateway.Admin;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Cli;

/// <summary><c>bots list|show|set|suspend|revoke</c>, <c>halt</c>, <c>reduce</c>, <c>resume</c>: all through the admin API, effective at once.</summary>
internal static class BotCommands
{
    public static async Task<int> RunAsync(IConfiguration configuration, string[] args, TextWriter output)
    {
        var admin = Option(args, "--admin");
        using var http = AdminApiClient.Create(configuration, admin);
        var (method, path, body) = args switch
        {
            ["bots", "list", ..] => (HttpMethod.Get, "admin/bots", (HttpContent?)null),
            ["bots", "show", var name, ..] => (HttpMethod.Get, "admin/bots/" + name, null),
            ["bots", "suspend" or "revoke" or "activate", var name, ..] => (HttpMethod.Post, $"admin/bots/{name}/{args[1]}", null),
            ["bots", "set", var name, ..] => (HttpMethod.Put, "admin/bots/" + name, JsonContent.Create(Update(args), AdminJson.Default.BotUpdate)),
            ["halt", "--all", ..] => (HttpMethod.Post, "admin/trading-state", State(null, "HALTED", args.Contains("--cancel-open"))),
            ["halt", "--bot", var name, ..] => (HttpMethod.Post, "admin/trading-state", State(name, "HALTED", args.Contains("--cancel-open"))),
            ["reduce", "--bot", var name, ..] => (HttpMethod.Post, "admin/trading-state", State(name, "REDUCING", false)),
            ["reduce", "--all", ..] => (HttpMethod.Post, "admin/trading-state", State(null, "REDUCING", false)),
            ["resume", "--bot", var name, ..] => (HttpMethod.Post, "admin/trading-state", State(name, "ACTIVE", false)),
            ["resume", ..] => (HttpMethod.Post, "admin/trading-state", State(null, "ACTIVE", false)),
            _ => throw new GatewayCli.CliException("usage: bots list|show NAME|set NAME [options]|suspend NAME|revoke NAME; halt --bot NAME [--cancel-open] | halt --all; reduce --bot NAME; resume [--bot NAME]"),
        };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body };
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        var pretty = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(pretty, new JsonWriterOptions { Indented = true }))
        {
            json.RootElement.WriteTo(writer);
        }

        await output.WriteLineAsync(Encoding.UTF8.GetString(pretty.WrittenSpan)).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? 0 : 1;
    }

    private static JsonContent State(string? bot, string state, bool cancelOpen) =>
        JsonContent.Create(new AdminBotsApi.StateChange(bot, state, cancelOpen), AdminJson.Default.StateChange);

    private static AdminBotsApi.BotUpdate Update(string[] args)
    {
        decimal? D(string name) => Option(args, name) is { } v ? decimal.Parse(v, CultureInfo.InvariantCulture) : null;
        int? I(string name) => Option(args, name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : null;
        List<string>? L(string name) => Option(args, name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var limits = new RiskLimits
        {
            AllowedSymbols = L("--symbols"),
            AllowedOrderTypes = L("--order-types"),
            MaxOrderNotional = D("--max-order-notional"),
            MaxPositionNotional = D("--max-position-notional"),
            MaxLeverage = I("--max-leverage"),
            RequiredMarginType = Option(args, "--margin-type"),
            RequiredDualSidePosition = Option(args, "--position-mode") is { } m ? m == "hedge" : null,
            MaxOpenOrders = I("--max-open-orders"),
        };
        var anyLimit = limits != new RiskLimits();
        bool? unlimited = args.Contains("--unlimited") ? true : args.Contains("--limited") ? false : null;
        return new AdminBotsApi.BotUpdate(L("--scopes"), anyLimit ? limits : null, Option(args, "--mode"), Option(args, "--key-group"), L("--exclusive-symbols"), unlimited);
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
