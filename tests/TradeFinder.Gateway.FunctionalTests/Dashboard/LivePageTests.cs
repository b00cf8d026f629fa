using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Dashboard;

/// <summary>The SRE's live page on the ops port: what is going on now, without script, external assets or secrets.</summary>
public sealed class LivePageTests
{
    /// <summary>A gateway where bot "prober" has just been caught probing and bot "reader" made one request.</summary>
    private static async Task<GatewayTestHost> StartWithALiveAnomalyAsync()
    {
        var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { ["Gateway:Anomalies:ProbingRefusalsPerMinute"] = "3" });
        using var prober = host.CreateClient(await host.IssueBotAsync("prober", scopes: "market:read"));
        using var reader = host.CreateClient(await host.IssueBotAsync("reader"));
        using (var time = await reader.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)))
        {
            time.EnsureSuccessStatusCode();
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await prober.SendForCodeAsync(HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01")).Status);
        }

        return host;
    }

    [Fact]
    public async Task LivePage_ShowsBotsKeysAndALiveAnomalyWithItsEvidence_UnderAStrictPolicy()
    {
        await using var host = await StartWithALiveAnomalyAsync();

        using var ops = host.CreateOpsClient();
        using var page = await ops.GetAsync(new Uri("/", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("default-src 'none'; style-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("<td>probing</td><td>prober</td>", html, StringComparison.Ordinal);
        Assert.Contains("scope/validation/ownership refusals in the last minute", html, StringComparison.Ordinal);
        Assert.Contains("someone probing with its certificate", html, StringComparison.Ordinal); // the one-line explanation
        Assert.Matches("<td>reader</td><td>paper</td><td>default</td><td class=\"state-ACTIVE\">ACTIVE</td><td>[^<]*</td><td>\\d+ / \\d+</td><td>\\d+ / \\d+</td><td>\\d+ s ago</td>", html);
        Assert.Contains("<td>prober</td><td>scope</td>", html, StringComparison.Ordinal);
        Assert.All(host.Services.GetRequiredService<TradeFinder.Gateway.Keys.KeyRing>().Slots, slot => Assert.Contains(slot.Active.Fingerprint, html, StringComparison.Ordinal));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secret", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal); // no external assets

        using var css = await ops.GetAsync(new Uri("/live.css", UriKind.Relative));
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// The page as an SRE's browser shows it: Debian's Chromium, driven by playwright-core (tests/compat/live-page.mjs),
    /// renders the anomaly under the page's own policy with no script, no request leaving the ops port and no error.
    /// The screenshot is kept under artifacts/tests/ for CI.
    /// </summary>
    [Fact]
    public async Task LivePage_InHeadlessChromium_ShowsTheLiveAnomaly_AndAScreenshotIsKept()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: the test command installs it (apt-get install chromium)");
        await using var host = await StartWithALiveAnomalyAsync();
        var shot = Path.Combine(SourceTree.Root, "artifacts", "tests", "live-page.png");
        Directory.CreateDirectory(Path.GetDirectoryName(shot)!);
        File.Delete(shot);

        var (code, output, error) = await CompatScripts.RunAsync("live-page.mjs", new Dictionary<string, string>
        {
            ["PAGE"] = host.OpsAddress.ToString(),
            ["EXPECT"] = "scope/validation/ownership refusals in the last minute",
            ["SHOT"] = shot,
        }, timeoutSeconds: 90);

        Assert.True(code == 0, output + error);
        var page = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(200, page.GetProperty("status").GetInt32());
        Assert.StartsWith("default-src 'none'", page.GetProperty("csp").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, page.GetProperty("scripts").GetInt32());
        Assert.Empty(page.GetProperty("external").EnumerateArray());
        Assert.Empty(page.GetProperty("problems").EnumerateArray()); // a CSP violation (the stylesheet refused) would be a console error
        var text = page.GetProperty("text").GetString()!;
        Assert.Contains("probing", text, StringComparison.Ordinal);
        Assert.Contains("someone probing with its certificate", text, StringComparison.Ordinal);
        Assert.Contains("reader", text, StringComparison.Ordinal);
        Assert.True(new FileInfo(shot).Length > 10_000, "the screenshot is an image of the page");
    }
}
