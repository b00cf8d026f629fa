using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Logging;

/// <summary>A log line written while serving a bot names the request, the bot's mode and the route it asked for.</summary>
public sealed partial class RequestLogLinesTests
{
    [Fact]
    public async Task LinesWrittenForABotRequest_CarryItsRequestIdModeAndRoute_EachRequestItsOwn()
    {
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = "Information" });
        using var bot = host.CreateClient(await host.IssueBotAsync("logged"));

        // Not in the catalog: the routing step logs the refusal, after the bot was identified.
        using (var first = await bot.GetAsync(new Uri("fapi/v1/nothingHere", UriKind.Relative)))
        using (var second = await bot.GetAsync(new Uri("fapi/v1/norHere", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        }

        await Eventually.TrueAsync(() => RefusalLines(host.DataDir).Count >= 2, "both refusals logged");
        var lines = RefusalLines(host.DataDir);
        var one = lines.Single(l => l.GetProperty("Path").GetString() == "/fapi/v1/nothingHere");
        var two = lines.Single(l => l.GetProperty("Path").GetString() == "/fapi/v1/norHere");
        Assert.Equal("paper", one.GetProperty("Mode").GetString());
        Assert.Equal("GET /fapi/v1/nothingHere", one.GetProperty("Route").GetString());
        Assert.Equal("GET /fapi/v1/norHere", two.GetProperty("Route").GetString());
        Assert.False(string.IsNullOrEmpty(one.GetProperty("RequestId").GetString()));
        Assert.NotEqual(one.GetProperty("RequestId").GetString(), two.GetProperty("RequestId").GetString());
    }

    [Fact]
    public async Task WithTracingOff_TheAuditRecordAndTheLogLinesOfARequest_NameItByTheSameRequestId()
    {
        // Even with the framework's categories logging at Information, hosting's request logger stays off: while it is
        // on, every request starts an activity (and every upstream call a child) only for it, and the audit record would
        // name that unexported trace instead of the request id the log lines carry.
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Information",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Information",
        });
        using var bot = host.CreateClient(await host.IssueBotAsync("logged"));
        using (var refused = await bot.GetAsync(new Uri("fapi/v1/nothingHere", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        await Eventually.TrueAsync(() => RefusalLines(host.DataDir).Count >= 1, "the refusal logged");
        var requestId = RefusalLines(host.DataDir).Single().GetProperty("RequestId").GetString();

        await host.IssueAdminAsync("sre");
        var (code, tail, _) = await host.CliAsync("audit", "tail", "--bot", "logged", "-n", "1");
        Assert.Equal(0, code);
        Assert.Equal(requestId, TraceId().Match(tail).Groups[1].Value);
    }

    private static List<JsonElement> RefusalLines(string dataDir)
    {
        var found = new List<JsonElement>();
        var logs = Path.Combine(dataDir, "logs");
        if (!Directory.Exists(logs))
        {
            return found;
        }

        foreach (var file in Directory.EnumerateFiles(logs))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (Whole(line) is not { } json)
                {
                    continue;
                }

                if (json.TryGetProperty("Bot", out var name) && name.GetString() == "logged" && json.TryGetProperty("Path", out _))
                {
                    found.Add(json.Clone());
                }
            }
        }

        return found;
    }

    [GeneratedRegex("\"traceId\":\"([^\"]+)\"")]
    private static partial Regex TraceId();

    // The sink may be writing its last line while this reads it: a line counts once it parses.
    private static JsonElement? Whole(string line)
    {
        try
        {
            return JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
