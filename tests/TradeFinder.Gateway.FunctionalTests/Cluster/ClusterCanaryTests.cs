using System.Security.Cryptography;
using System.Text;
using Npgsql;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Cluster;

/// <summary>The shared stores' passwords, like the exchange's secret, appear nowhere a replica writes or answers.</summary>
[Collection(ReplicasCollection.Name)]
public sealed class ClusterCanaryTests
{
    [Fact]
    public async Task StorePasswords_AppearInNoLogFileAnswerOrMetric_EvenWhenRedisFailsMidRun()
    {
        var redisCanary = "CANARYredis" + RandomNumberGenerator.GetHexString(16);
        var postgresCanary = "CANARYpg" + RandomNumberGenerator.GetHexString(16);
        var key = TestKey.Hmac();
        using var keys = new ScopedTempDirectory("tf-keys");
        key.WriteTo(keys.Path, "testnet");
        await using var redis = await RedisServer.StartAsync(redisCanary);
        await using var postgres = await PostgresServer.ForTestsAsync();
        await using var exchange = await TestExchange.StartAsync(key.ToPaperCredential());
        var settings = TestExchange.FileKeySettings(keys.Path, exchange);
        foreach (var (name, value) in GatewayTestHost.EverythingLogged)
        {
            settings[name] = value;
        }

        settings["Gateway:Cluster:Redis"] = redis.ConnectionString;
        settings["Gateway:Cluster:Postgres"] = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Password = postgresCanary }.ToString(); // trust auth: accepted, never checked
        await using var replica = await GatewayReplica.StartAsync(settings);
        using var bot = replica.CreateClient(await replica.IssueBotAsync("alpha", "testnet"));
        using var ops = replica.CreateOpsClient();
        var seen = new StringBuilder();

        async Task TradeAsync()
        {
            foreach (var (method, path) in new[] { (HttpMethod.Get, "fapi/v2/balance"), (HttpMethod.Post, "fapi/v1/order?symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=20000") })
            {
                using var response = await bot.SendAsync(new HttpRequestMessage(method, path));
                seen.Append(await response.Content.ReadAsStringAsync());
            }

            seen.Append(await ops.GetStringAsync(new Uri("readyz", UriKind.Relative)));
            seen.Append(await ops.GetStringAsync(new Uri("metrics", UriKind.Relative)));
        }

        await TradeAsync();
        await redis.StopAsync();
        await TradeAsync();
        await Task.Delay(1_500); // reconnect attempts and their log lines
        await TradeAsync();
        Assert.Contains("503", seen.ToString() + replica.Output, StringComparison.Ordinal); // the outage really happened: an order was refused for it
        await replica.KillAsync();

        var everything = new StringBuilder(seen.ToString()).Append(replica.Output);
        foreach (var file in Directory.EnumerateFiles(replica.DataDir, "*", SearchOption.AllDirectories))
        {
            everything.Append(Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
        }

        Assert.DoesNotContain(redisCanary, everything.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(postgresCanary, everything.ToString(), StringComparison.Ordinal);
    }
}
