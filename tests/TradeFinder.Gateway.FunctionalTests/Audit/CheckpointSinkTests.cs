using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using TradeFinder.Gateway.Audit;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Audit;

/// <summary>The signed checkpoints also reach an external collector, so a local rewrite cannot hide from it.</summary>
public sealed class CheckpointSinkTests
{
    [Fact]
    public async Task SignedCheckpoints_ArePostedToTheConfiguredCollector_AsWrittenLocally_IncludingTheLastOnStop()
    {
        var port = TestPorts.Next();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/checkpoints/");
        collector.Start();
        var received = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var context = await collector.GetContextAsync().WaitAsync(stop.Token);
                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    received.Enqueue((await reader.ReadToEndAsync()).TrimEnd('\n'));
                }

                context.Response.StatusCode = 204;
                context.Response.Close();
            }
        });

        var dataDir = TempDirectory.Create("tf-sink");
        var host = await GatewayTestHost.StartAsync(new Dictionary<string, string?> { [CheckpointSink.UrlSetting] = $"http://127.0.0.1:{port}/checkpoints/" }, dataDir);
        var checkpointFile = Path.Combine(dataDir, "audit", "checkpoints.jsonl");
        using (var bot = host.CreateClient(await host.IssueBotAsync("alpha")))
        {
            Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync(new Uri("fapi/v1/time", UriKind.Relative))).StatusCode);
        }

        await host.DisposeAsync();
        for (var i = 0; i < 50 && received.Distinct().Count() < File.ReadAllLines(checkpointFile).Length; i++)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        try
        {
            await receiving; // the receiver stops between requests or while waiting for one
        }
        catch (OperationCanceledException)
        {
        }

        var local = File.ReadAllLines(checkpointFile);
        Assert.NotEmpty(local);
        // At least once: a POST cut off by the stop is sent again, so the collector may see a line twice.
        Assert.Equal(local, received.Distinct().ToArray());
        using var key = AuditChainKey.LoadOrCreate(new ConfigurationBuilder().AddInMemoryCollection(host.Settings).Build(),
            new TradeFinder.Gateway.Context.GatewayPaths(dataDir));
        var last = JsonSerializer.Deserialize<AuditCheckpoint>(received.Last())!;
        Assert.Equal(key.Mac(AuditCheckpoint.Canonical(last.Sequence, last.Head, last.AtMs)), last.Mac);
        Assert.True(last.Sequence >= 1);
        TempDirectory.Delete(dataDir);
    }

    [Fact]
    public async Task APlainHttpCollectorOffLoopback_StopsTheStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            GatewayTestHost.StartAsync(new Dictionary<string, string?> { [CheckpointSink.UrlSetting] = "http://collector.example.com/checkpoints" }));

        Assert.Contains(CheckpointSink.UrlSetting, error.Message);
    }
}
