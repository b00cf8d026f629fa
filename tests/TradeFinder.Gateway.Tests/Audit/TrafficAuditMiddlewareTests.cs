using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Audit;

/// <summary>
/// The audit step's order of work around an answer: a read's answer is ended before its record is described and
/// queued, so the bot does not wait for the gateway's bookkeeping; a trade's answer waits for the record it depends on
/// (its sent record, or its only record when it was answered here), then goes out before the outcome's is queued.
/// </summary>
public sealed class TrafficAuditMiddlewareTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly ScopedTempDirectory _dir = new("tf-audit-step");
    private readonly AuditChainKey _key = new(RandomNumberGenerator.GetBytes(32));
    private readonly GatewayMetrics _metrics = new();

    public void Dispose()
    {
        _metrics.Dispose();
        _key.Dispose();
        _dir.Dispose();
    }

    /// <summary>A queue of one, already holding a record nobody reads: the next record queued waits for room.</summary>
    private AuditTrail FullTrail()
    {
        var trail = new AuditTrail(capacity: 1, new AuditSpool(Path.Combine(_dir.Path, "spool.jsonl"), _key));
        trail.Write(new AuditRecord { OccurredAtMs = 1_767_225_600_000, Type = AuditEventTypes.Traffic, Outcome = "earlier" });
        return trail;
    }

    private static (DefaultHttpContext Context, EndRecordingBody Body) Request(string method, string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        var body = new EndRecordingBody(new MemoryStream());
        context.Features.Set<IHttpResponseBodyFeature>(body);
        return (context, body);
    }

    private static RequestDelegate Answer(string json) => async context =>
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    };

    [Fact]
    public async Task AReadsAnswer_IsEnded_BeforeItsRecordIsQueued()
    {
        var trail = FullTrail();
        var step = new TrafficAuditMiddleware(Answer("{\"serverTime\":1}"), trail, _metrics, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var (context, body) = Request("GET", "/fapi/v1/time");

        var invocation = step.InvokeAsync(context);

        // The step now waits for room in the queue; the answer is already ended.
        await body.Ended.WaitAsync(Patience);
        Assert.False(invocation.IsCompleted);

        Assert.True(trail.Reader.TryRead(out var earlier));
        Assert.Equal("earlier", earlier.Record.Outcome);
        await invocation.WaitAsync(Patience);
        Assert.True(trail.Reader.TryRead(out var queued));
        Assert.Equal("GET /fapi/v1/time", queued.Record.Endpoint);
        Assert.Equal("forwarded 200", queued.Record.Outcome);
    }

    [Fact]
    public async Task ATradesAnswer_WaitsForItsRecordOnDisk()
    {
        var trail = new AuditTrail(capacity: 10, new AuditSpool(Path.Combine(_dir.Path, "spool.jsonl"), _key));
        var step = new TrafficAuditMiddleware(Answer("{\"orderId\":1,\"status\":\"NEW\"}"), trail, _metrics, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var (context, body) = Request("POST", "/fapi/v1/order");

        var invocation = step.InvokeAsync(context);

        // Answered without a sent record (nothing reached an exchange): its one record is on disk before the answer.
        await Task.Delay(200);
        Assert.False(body.Ended.IsCompleted);
        Assert.Equal(0, body.Written);
        Assert.False(invocation.IsCompleted);

        Assert.True(trail.Reader.TryRead(out var durable));
        Assert.True(durable.Flush);
        durable.Done!.SetResult();
        await invocation.WaitAsync(Patience);
        Assert.True(body.Written > 0);
    }

    [Fact]
    public async Task ASentTradesAnswer_WaitsForItsSentRecord_ThenGoesOut_BeforeItsOutcomeIsQueued()
    {
        const string answer = "{\"orderId\":7,\"status\":\"FILLED\"}";
        var trail = FullTrail();
        var sentOnDisk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        RequestDelegate exchange = async context =>
        {
            // As the sent-record transform does when the order leaves for the exchange.
            context.Features.Get<SentRecordFeature>()!.Written = sentOnDisk.Task;
            await Answer(answer)(context);
        };
        var step = new TrafficAuditMiddleware(exchange, trail, _metrics, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var (context, body) = Request("POST", "/fapi/v1/order");

        var invocation = step.InvokeAsync(context);

        await Task.Delay(200);
        Assert.Equal(0, body.Written);
        Assert.False(body.Ended.IsCompleted);

        // The sent record on disk: the answer goes out whole while the outcome's record still waits for room.
        sentOnDisk.SetResult();
        await body.Ended.WaitAsync(Patience);
        Assert.Equal(answer.Length, body.Written);
        Assert.False(invocation.IsCompleted);

        Assert.True(trail.Reader.TryRead(out _));
        await invocation.WaitAsync(Patience);
        Assert.True(trail.Reader.TryRead(out var outcome));
        Assert.Equal("forwarded 200", outcome.Record.Outcome);
        Assert.False(outcome.Flush);
        Assert.Contains($"\"responseBytes\":{answer.Length}", outcome.Record.Details, StringComparison.Ordinal);
        Assert.Contains("\"orderId\"", outcome.Record.Details, StringComparison.Ordinal);
        Assert.Equal(answer.Length, body.Written); // sent once, not copied again at the end
    }

    [Fact]
    public async Task ASentTradesAnswer_WhoseSentRecordFailed_NeverReachesTheBot()
    {
        var trail = new AuditTrail(capacity: 10, new AuditSpool(Path.Combine(_dir.Path, "spool.jsonl"), _key));
        RequestDelegate exchange = async context =>
        {
            context.Features.Get<SentRecordFeature>()!.Written = Task.FromException(new IOException("disk full"));
            await Answer("{\"orderId\":8}")(context);
        };
        var step = new TrafficAuditMiddleware(exchange, trail, _metrics, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var (context, body) = Request("POST", "/fapi/v1/order");

        await Assert.ThrowsAsync<IOException>(() => step.InvokeAsync(context));
        Assert.Equal(0, body.Written);
    }

    [Fact]
    public async Task ARefusedTradesAnswer_IsNotHeld_ItIsEndedBeforeItsRecordIsQueued()
    {
        var trail = FullTrail();
        RequestDelegate refuse = context => ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, -1102, "Mandatory parameter 'side' was not sent.");
        var step = new TrafficAuditMiddleware(refuse, trail, _metrics, new FakeTimeProvider(DateTimeOffset.UnixEpoch));
        var (context, body) = Request("POST", "/fapi/v1/order");

        var invocation = step.InvokeAsync(context);

        await body.Ended.WaitAsync(Patience);
        Assert.True(body.Written > 0);
        Assert.False(invocation.IsCompleted);
        Assert.True(trail.Reader.TryRead(out _));
        await invocation.WaitAsync(Patience);
        Assert.True(trail.Reader.TryRead(out var refused));
        Assert.Equal("denied 400", refused.Record.Outcome);
    }

    /// <summary>The response's body as a server gives it: records when the answer was ended and what reached it.</summary>
    private sealed class EndRecordingBody(MemoryStream stream) : IHttpResponseBodyFeature
    {
        private readonly StreamResponseBodyFeature _inner = new(stream);
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Ended => _ended.Task;

        public long Written => stream.Length;

        public Stream Stream => _inner.Stream;

        public System.IO.Pipelines.PipeWriter Writer => _inner.Writer;

        public void DisableBuffering() => _inner.DisableBuffering();

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            _inner.SendFileAsync(path, offset, count, cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken = default) => _inner.StartAsync(cancellationToken);

        public async Task CompleteAsync()
        {
            await _inner.CompleteAsync();
            _ended.TrySetResult();
        }
    }
}
