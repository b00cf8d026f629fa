using System.Globalization;
using System.Text.Json;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Cli;

/// <summary><c>bots list|show|set|suspend|revoke</c>, <c>halt</c>, <c>reduce</c>, <c>resume</c>: all through the admin API, effective at once.</summary>
internal static class BotCommands
{
    private static readonly JsonSerializerOptions Pretty = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task<int> RunAsync(IConfiguration configuration, string[] args, TextWriter output)
    {
        var admin = Option(args, "--admin");
        using var http = AdminApiClient.Create(configuration, admin);
        var (method, path, body) = args switch
        {
            ["bots", "list", ..] => (HttpMethod.Get, "admin/bots", (object?)null),
            ["bots", "show", var name, ..] => (HttpMethod.Get, "admin/bots/" + name, null),
            ["bots", "suspend" or "revoke" or "activate", var name, ..] => (HttpMethod.Post, $"admin/bots/{name}/{args[1]}", null),
            ["bots", "set", var name, ..] => (HttpMethod.Put, "admin/bots/" + name, Update(args)),
            ["halt", "--all", ..] => (HttpMethod.Post, "admin/trading-state", new { bot = (string?)null, state = "HALTED", cancelOpen = args.Contains("--cancel-open") }),
            ["halt", "--bot", var name, ..] => (HttpMethod.Post, "admin/trading-state", new { bot = (string?)name, state = "HALTED", cancelOpen = args.Contains("--cancel-open") }),
            ["reduce", "--bot", var name, ..] => (HttpMethod.Post, "admin/trading-state", new { bot = (string?)name, state = "REDUCING", cancelOpen = false }),
            ["reduce", "--all", ..] => (HttpMethod.Post, "admin/trading-state", new { bot = (string?)null, state = "REDUCING", cancelOpen = false }),
            ["resume", "--bot", var name, ..] => (HttpMethod.Post, "admin/trading-state", new { bot = (string?)name, state = "ACTIVE", cancelOpen = false }),
            ["resume", ..] => (HttpMethod.Post, "admin/trading-state", new { bot = (string?)null, state = "ACTIVE", cancelOpen = false }),
            _ => throw new GatewayCli.CliException("usage: bots list|show NAME|set NAME [options]|suspend NAME|revoke NAME; halt --bot NAME [--cancel-open] | halt --all; reduce --bot NAME; resume [--bot NAME]"),
        };
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        await output.WriteLineAsync(JsonSerializer.Serialize(json.RootElement, Pretty)).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? 0 : 1;
    }

    private static object Update(string[] args)
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
        return new
        {
            scopes = L("--scopes"), limits = anyLimit ? limits : null, mode = Option(args, "--mode"), keyGroup = Option(args, "--key-group"),
            exclusiveSymbols = L("--exclusive-symbols"), unlimited,
        };
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
