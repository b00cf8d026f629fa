using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Diagnostics;

namespace TradeFinder.Gateway.Resilience;

/// <summary>
/// Polly v8 pipelines, one per (mode, route class): a timeout inside a circuit breaker. A breaker opens on 5xx
/// answers, timeouts and connection failures (which is how -1001 DISCONNECTED arrives), answers locally with
/// 503 and Retry-After while open, then lets a probe through (half-open) and closes when it succeeds. Nothing
/// here retries: a retried order could be a duplicate order.
/// </summary>
internal sealed class UpstreamResilience(IOptions<ResilienceOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<UpstreamResilience> logger)
{
    /// <summary>Set on an upstream request so the handler knows its breaker.</summary>
    public static readonly HttpRequestOptionsKey<(TradingMode Mode, RouteClass Class)> RouteOption = new("tradefinder.route");

    private readonly ConcurrentDictionary<(TradingMode, RouteClass), Breaker> _breakers = new();

    public static RouteClass ClassOf(UsdmEndpoint endpoint) => endpoint.Scope switch
    {
        ScopeNames.MarketRead => RouteClass.MarketData,
        ScopeNames.AccountRead or ScopeNames.UserStream => RouteClass.Account,
        _ => RouteClass.Trading,
    };

    public TimeSpan BreakDuration => TimeSpan.FromSeconds(options.Value.BreakSeconds);

    /// <summary>
    /// How long the breaker still refuses calls; zero once its break has ended, so the next call can be the
    /// half-open probe (Polly moves to half-open only when a call is attempted).
    /// </summary>
    public TimeSpan OpenFor(TradingMode mode, RouteClass routeClass)
    {
        if (!_breakers.TryGetValue((mode, routeClass), out var breaker) || breaker.State.CircuitState != CircuitState.Open)
        {
            return TimeSpan.Zero;
        }

        var remaining = breaker.OpenUntil - time.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>Sends through the route's breaker and timeout; the state is passed through so no call allocates a closure.</summary>
    public async Task<HttpResponseMessage> SendAsync<TState>(TradingMode mode, RouteClass routeClass, Func<TState, CancellationToken, Task<HttpResponseMessage>> send, TState state, CancellationToken cancellationToken)
    {
        var breaker = _breakers.GetOrAdd((mode, routeClass), static (key, self) => self.Create(key.Item1, key.Item2), this);
        try
        {
            return await breaker.Pipeline.ExecuteAsync(
                static (call, token) => new ValueTask<HttpResponseMessage>(call.send(call.state, token)), (send, state), cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException)
        {
            return OpenCircuitResponse(routeClass);
        }
    }

    /// <summary>What a bot gets while a breaker is open: the exchange's -1001 shape, 503, and when to retry.</summary>
    public HttpResponseMessage OpenCircuitResponse(RouteClass routeClass)
    {
        var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(
                $"{{\"code\":{ExchangeErrorCodes.Disconnected},\"msg\":\"The exchange is failing for {ToName(routeClass)} requests; the gateway is not sending more for now.\"}}")),
        };
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(BreakDuration);
        return response;
    }

    public static string ToName(RouteClass routeClass) => routeClass switch
    {
        RouteClass.MarketData => "market-data",
        RouteClass.Account => "account",
        _ => "trading",
    };

    private Breaker Create(TradingMode mode, RouteClass routeClass)
    {
        var o = options.Value;
        var state = new CircuitBreakerStateProvider();
        var name = $"{mode.ToConfigValue()}/{ToName(routeClass)}";
        var breaker = new Breaker(state);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = o.FailureRatio,
                MinimumThroughput = o.MinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(o.SamplingSeconds),
                BreakDuration = TimeSpan.FromSeconds(o.BreakSeconds),
                StateProvider = state,
                ShouldHandle = args => args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => ValueTask.FromResult(true),
                    { Result: { } response } => IsFailureAsync(response),
                    _ => ValueTask.FromResult(false),
                },
                OnOpened = args =>
                {
                    breaker.OpenUntil = time.GetUtcNow() + args.BreakDuration;
                    metrics.BreakerChanged(name, "open");
                    ResilienceLog.BreakerOpened(logger, name, args.BreakDuration.TotalSeconds.ToString("0", CultureInfo.InvariantCulture));
                    return ValueTask.CompletedTask;
                },
                OnHalfOpened = _ =>
                {
                    metrics.BreakerChanged(name, "half_open");
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    metrics.BreakerChanged(name, "closed");
                    ResilienceLog.BreakerClosed(logger, name);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(routeClass switch
            {
                RouteClass.MarketData => o.MarketDataTimeoutSeconds,
                RouteClass.Account => o.AccountTimeoutSeconds,
                _ => o.TradingTimeoutSeconds,
            }))
            .Build();
        breaker.Pipeline = pipeline;
        return breaker;
    }

    /// <summary>5xx, or a -1001 DISCONNECTED in any other error answer (buffered, so the bot still gets it).</summary>
    private static async ValueTask<bool> IsFailureAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return true;
        }

        if (status < 400 || status is 429 or 418 || response.Content.Headers.ContentLength is null or > 4096)
        {
            return false;
        }

        await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return body.AsSpan().IndexOf("\"code\":-1001"u8) >= 0;
    }

    private sealed class Breaker(CircuitBreakerStateProvider state)
    {
        public CircuitBreakerStateProvider State { get; } = state;

        public ResiliencePipeline<HttpResponseMessage> Pipeline { get; set; } = ResiliencePipeline<HttpResponseMessage>.Empty;

        public DateTimeOffset OpenUntil { get; set; }
    }
}
