using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using TradeFinder.Gateway.Keys;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Security;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Keys;

/// <summary>
/// Rotation without restart while bots trade: by the admin command, by a changed secret file and by a new
/// Vault version, and rollback. Every request during the changes must succeed, and every request the exchange
/// saw must carry exactly one of the valid keys with a signature it verified.
/// </summary>
public sealed class KeyRotationTests
{
    private static Dictionary<string, string?> Settings(string keysDir, PaperExchangeServer exchange, bool watch)
    {
        var settings = TestExchange.FileKeySettings(keysDir, exchange);
        settings["Gateway:Keys:Watch"] = watch ? "true" : "false";
        return settings;
    }

    [Fact]
    public async Task AdminRotateAndRollback_UnderLoad_FailNoRequest()
    {
        TestKey a = TestKey.Hmac("KEYA"), b = TestKey.Ed25519("KEYB");
        using var keys = new ScopedTempDirectory("tf-keys");
        a.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(a.ToPaperCredential(), b.ToPaperCredential());
        await using var host = await GatewayTestHost.StartAsync(Settings(keys.Path, exchange, watch: false));
        var admin = Name(await host.IssueAdminAsync("ops"));
        var bots = await BotsAsync(host, 6);
        exchange.Journal.Clear();

        var (failures, total) = await UnderLoadAsync(bots, async () =>
        {
            b.WriteTo(keys.Path, "testnet");
            var rotate = await host.CliAsync("keys", "rotate", "--admin", admin);
            Assert.True(rotate.ExitCode == 0, rotate.Output + rotate.Error);
            Assert.Matches(@"stage\s+ok.*\n.*validate\s+ok.*\n.*promote\s+ok", rotate.Output);
            await WaitForKeyAsync(exchange, b.ApiKey);

            var status = await host.CliAsync("keys", "status", "--admin", admin);
            Assert.Contains("active    " + Fingerprint(b) + " ed25519", status.Output);
            Assert.Contains("previous  " + Fingerprint(a) + " hmac", status.Output);

            var rollback = await host.CliAsync("keys", "rollback", "--admin", admin);
            Assert.True(rollback.ExitCode == 0, rollback.Output + rollback.Error);
            await WaitForKeyAsync(exchange, a.ApiKey, after: b.ApiKey);
            foreach (var output in new[] { rotate.Output, status.Output, rollback.Output })
            {
                AssertNoKeyMaterial(output, a, b);
            }
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} failed, e.g.:\n" + string.Join("\n", failures.Take(5)));
        Assert.True(total > 50, $"only {total} requests ran during the rotation");
        AssertEverySignedRequestUsedOneValidKey(exchange, a, b);
    }

    [Fact]
    public async Task ChangedSecretFile_RotatesUnderLoad_WithoutAnyCommand()
    {
        TestKey a = TestKey.Hmac("KEYA"), b = TestKey.Rsa("KEYB"), c = TestKey.Hmac("KEYC");
        using var keys = new ScopedTempDirectory("tf-keys");
        a.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(a.ToPaperCredential(), b.ToPaperCredential(), c.ToPaperCredential());
        await using var host = await GatewayTestHost.StartAsync(Settings(keys.Path, exchange, watch: true));
        var bots = await BotsAsync(host, 6);
        exchange.Journal.Clear();

        var (failures, _) = await UnderLoadAsync(bots, async () =>
        {
            b.WriteTo(keys.Path, "testnet");
            await WaitForKeyAsync(exchange, b.ApiKey);
            c.WriteTo(keys.Path, "testnet");
            await WaitForKeyAsync(exchange, c.ApiKey, after: b.ApiKey);
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} failed, e.g.:\n" + string.Join("\n", failures.Take(5)));
        AssertEverySignedRequestUsedOneValidKey(exchange, a, b, c);
    }

    [Fact]
    public async Task RotationToAKeyThatCanWithdraw_IsRejected_AndTheActiveKeyStays()
    {
        TestKey a = TestKey.Hmac("KEYA"), w = TestKey.Hmac("KEYW");
        using var keys = new ScopedTempDirectory("tf-keys");
        a.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(a.ToPaperCredential(), w.ToPaperCredential(new ApiRestrictions { EnableWithdrawals = true }));
        await using var host = await GatewayTestHost.StartAsync(Settings(keys.Path, exchange, watch: false));
        var admin = Name(await host.IssueAdminAsync("ops"));
        using var bot = host.CreateClient(await host.IssueBotAsync("alpha", "testnet"));

        w.WriteTo(keys.Path, "testnet");
        var rotate = await host.CliAsync("keys", "rotate", "--admin", admin);
        exchange.Journal.Clear();
        using var response = await bot.GetAsync(new Uri("fapi/v2/balance", UriKind.Relative));

        Assert.Equal(1, rotate.ExitCode);
        Assert.Matches(@"validate\s+FAILED\s+the key can move funds \(enableWithdrawals\)", rotate.Output);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(exchange.Journal.Entries, e => Assert.Equal(a.ApiKey, e.ApiKeyHeader));
        var status = (await host.CliAsync("keys", "status", "--admin", admin)).Output;
        Assert.Contains("active    " + Fingerprint(a), status);
        Assert.Contains($"validated {Fingerprint(w)} FAILED", status);
        AssertNoKeyMaterial(rotate.Output + status, a, w);
    }

    [Fact]
    public async Task BotCertificate_CannotUseTheKeysAdminApi()
    {
        var a = TestKey.Hmac();
        using var keys = new ScopedTempDirectory("tf-keys");
        a.WriteTo(keys.Path, "testnet");
        await using var exchange = await TestExchange.StartAsync(a.ToPaperCredential());
        await using var host = await GatewayTestHost.StartAsync(Settings(keys.Path, exchange, watch: false));
        using var asBot = host.CreateAdminClient(await host.IssueBotAsync("alpha", "testnet"));

        await Assert.ThrowsAsync<HttpRequestException>(() => asBot.PostAsync(new Uri("admin/keys/testnet/rotate", UriKind.Relative), null));
    }

    [UnixFact]
    public async Task NewVaultVersion_RotatesUnderLoad_AndAnExpiredTokenIsReplacedByAnotherLogin()
    {
        TestKey a = TestKey.Hmac("KEYA"), b = TestKey.Ed25519("KEYB"), c = TestKey.Rsa("KEYC");
        await using var vault = await FakeVaultServer.StartAsync();
        void Put(TestKey key) => vault.Put("secret/tradefinder/testnet", key.PrivateKeyPem is null
            ? new Dictionary<string, string> { ["api_key"] = key.ApiKey, ["secret"] = Encoding.ASCII.GetString(key.Secret) }
            : new Dictionary<string, string> { ["api_key"] = key.ApiKey, ["private_key"] = key.PrivateKeyPem });
        Put(a);
        using var secrets = new ScopedTempDirectory("tf-vault");
        var secretIdFile = Path.Combine(secrets.Path, "secret-id");
        await File.WriteAllTextAsync(secretIdFile, vault.SecretId);
        File.SetUnixFileMode(secretIdFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var exchange = await TestExchange.StartAsync(a.ToPaperCredential(), b.ToPaperCredential(), c.ToPaperCredential());
        await using var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["TRADING_MODE"] = "testnet",
            ["TRADEFINDER_UPSTREAM_OVERRIDE"] = exchange.BaseAddress.ToString(),
            ["Gateway:Keys:Provider"] = "vault",
            ["Gateway:Keys:RefreshSeconds"] = "1",
            ["Gateway:Keys:Vault:Address"] = vault.Address.ToString(),
            ["Gateway:Keys:Vault:RoleId"] = vault.RoleId,
            ["Gateway:Keys:Vault:SecretIdFile"] = secretIdFile,
        });
        var bots = await BotsAsync(host, 4);
        exchange.Journal.Clear();

        var (failures, _) = await UnderLoadAsync(bots, async () =>
        {
            Put(b);
            await WaitForKeyAsync(exchange, b.ApiKey);
            vault.ExpireIssuedTokens();
            Put(c);
            await WaitForKeyAsync(exchange, c.ApiKey, after: b.ApiKey);
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} failed, e.g.:\n" + string.Join("\n", failures.Take(5)));
        Assert.Equal(2, vault.Logins);
        AssertEverySignedRequestUsedOneValidKey(exchange, a, b, c);
    }

    internal static async Task<HttpClient[]> BotsAsync(GatewayTestHost host, int count)
    {
        var bots = new HttpClient[count];
        for (var i = 0; i < count; i++)
        {
            bots[i] = host.CreateClient(await host.IssueBotAsync("bot" + i, "testnet"));
        }

        return bots;
    }

    /// <summary>Each bot reads its balance and places and cancels orders in a loop while <paramref name="during"/> runs.</summary>
    internal static async Task<(ConcurrentBag<string> Failures, int Total)> UnderLoadAsync(HttpClient[] bots, Func<Task> during)
    {
        var failures = new ConcurrentBag<string>();
        var total = 0;
        using var stop = new CancellationTokenSource();
        var loops = bots.Select((bot, index) => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"rot-{index}-{i}";
                var requests = i % 4 == 0
                    ? new[]
                    {
                        new HttpRequestMessage(HttpMethod.Post, $"fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000&newClientOrderId={id}"),
                        new HttpRequestMessage(HttpMethod.Delete, $"fapi/v1/order?symbol=BTCUSDT&origClientOrderId={id}"),
                    }
                    : [new HttpRequestMessage(HttpMethod.Get, "fapi/v2/balance")];
                foreach (var request in requests)
                {
                    using (request)
                    using (var response = await bot.SendAsync(request))
                    {
                        Interlocked.Increment(ref total);
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            failures.Add($"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }
                    }
                }
            }
        })).ToArray();

        try
        {
            await Task.Delay(300);
            await during();
            await Task.Delay(300);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops);
            foreach (var bot in bots)
            {
                bot.Dispose();
            }
        }

        return (failures, total);
    }

    /// <summary>Waits until the exchange has seen a request with <paramref name="apiKey"/> (after one with <paramref name="after"/>, if given).</summary>
    internal static async Task WaitForKeyAsync(PaperExchangeServer exchange, string apiKey, string? after = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var entries = exchange.Journal.Entries;
            var start = after is null ? 0 : entries.ToList().FindIndex(e => e.ApiKeyHeader == after);
            if (start >= 0 && entries.Skip(start).Any(e => e.ApiKeyHeader == apiKey))
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"the exchange never saw the new key {apiKey[..6]}…");
    }

    internal static void AssertEverySignedRequestUsedOneValidKey(PaperExchangeServer exchange, params TestKey[] valid)
    {
        var keyed = exchange.Journal.Entries.Where(e => e.ApiKeyHeader is not null).ToArray();
        Assert.NotEmpty(keyed);
        Assert.All(keyed, e =>
        {
            Assert.Contains(e.ApiKeyHeader, valid.Select(k => k.ApiKey));
            Assert.Equal("ok", e.Outcome);
            Assert.Equal(1, e.Query.Split('&').Concat(e.Body.Split('&')).Count(p => p.StartsWith("signature=", StringComparison.Ordinal)));
        });
    }

    private static void AssertNoKeyMaterial(string text, params TestKey[] keys)
    {
        foreach (var key in keys)
        {
            Assert.DoesNotContain(key.ApiKey, text);
            foreach (var fragment in key.SecretFragments())
            {
                Assert.DoesNotContain(fragment, text);
            }
        }
    }

    private static string Fingerprint(TestKey key) => Gateway.Keys.ExchangeKey.FingerprintOf(key.ApiKey);

    private static string Name(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, false);
}
