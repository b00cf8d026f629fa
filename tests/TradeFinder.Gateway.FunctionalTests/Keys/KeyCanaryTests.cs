using System.Security.Cryptography.X509Certificates;
using System.Text;
using TradeFinder.PaperExchange.Security;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Keys;

/// <summary>
/// Key material of every type, loaded from files, rotated, rejected and rolled back with logging at its most
/// verbose: none of it appears in any response, CLI output, log line, audit row or other file in the data dir.
/// </summary>
public sealed class KeyCanaryTests
{
    [Fact]
    public async Task KeyMaterial_AppearsNowhere_AfterLoadRotateRejectAndRollback()
    {
        TestKey a = TestKey.Hmac("CANARYA"), b = TestKey.Rsa("CANARYB"), w = TestKey.Ed25519("CANARYW");
        using var keys = new ScopedTempDirectory("tf-keys");
        using var data = new ScopedTempDirectory("tf-canary");
        a.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(a.ToPaperCredential(), b.ToPaperCredential(),
            w.ToPaperCredential(new ApiRestrictions { EnableWithdrawals = true }));
        var settings = TestExchange.FileKeySettings(keys.Path, exchange);
        settings["Gateway:Keys:Watch"] = "false";
        foreach (var (name, value) in GatewayTestHost.EverythingLogged)
        {
            settings[name] = value;
        }
        var seen = new StringBuilder();
        await using (var host = await GatewayTestHost.StartAsync(settings, data.Path))
        {
            var admin = (await host.IssueAdminAsync("ops")).GetNameInfo(X509NameType.SimpleName, false);
            using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));
            async Task CliAsync(params string[] args)
            {
                var (_, output, error) = await host.CliAsync([.. args, "--admin", admin]);
                seen.Append(output).Append(error);
            }

            async Task TradeAsync()
            {
                foreach (var path in new[] { "fapi/v2/balance", "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000" })
                {
                    using var response = await bot.SendAsync(new HttpRequestMessage(path.Contains("order", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path));
                    seen.Append(await response.Content.ReadAsStringAsync());
                }
            }

            await TradeAsync();
            w.WriteTo(keys.Path, "testnet");
            await CliAsync("keys", "rotate");
            b.WriteTo(keys.Path, "testnet");
            await CliAsync("keys", "rotate");
            await TradeAsync();
            await CliAsync("keys", "status");
            await CliAsync("keys", "rollback");
            await TradeAsync();
            await CliAsync("audit", "tail", "-n", "200");
            Assert.Contains(exchange.Journal.Entries, e => e.ApiKeyHeader == b.ApiKey && e.Outcome == "ok");
        }

        var texts = new List<(string Where, string Text)> { ("responses and CLI output", seen.ToString()) };
        foreach (var file in Directory.EnumerateFiles(data.Path, "*", SearchOption.AllDirectories))
        {
            texts.Add((file, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file))));
        }

        Assert.Contains(texts, t => t.Text.Contains("validate failed", StringComparison.Ordinal)); // the audit trail recorded the flows
        foreach (var key in new[] { a, b, w })
        {
            foreach (var (where, text) in texts)
            {
                Assert.False(text.Contains(key.ApiKey, StringComparison.Ordinal), $"API key of {key} found in {where}");
                foreach (var fragment in key.SecretFragments())
                {
                    Assert.False(text.Contains(fragment, StringComparison.Ordinal), $"secret of {key} found in {where}");
                }
            }
        }
    }
}
