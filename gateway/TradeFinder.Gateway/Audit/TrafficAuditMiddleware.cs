using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Logging;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// Step 0, wrapping the whole bot pipeline: one audit record per request (bot, method, path, redacted query, local
/// decision, upstream status, weight, latency, sizes). A trade request (order placement, cancellation, leverage) that
/// is sent to the exchange also gets a <c>sent</c> record, written to disk while the exchange handles it (see
/// <see cref="SentRecordTransform"/>); its answer is held until that record is on disk, so no order exists that the
/// audit trail does not know of, and the bot waits for the longer of the exchange and the disk instead of their sum
/// (then it passes straight through, <see cref="HeldAnswerStream"/>, before the outcome's record is described).
/// The outcome's record is queued behind the sent one, not waited for: the exchange holds the outcome too, and waiting
/// meant waiting behind the writer's flushes of other orders' records. A trade request answered without reaching the
/// exchange waits for its one record to be on disk.
/// </summary>
internal sealed class TrafficAuditMiddleware(RequestDelegate next, AuditTrail audit, Diagnostics.GatewayMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.Request;
        var endpoint = UsdmEndpoints.Find(request.Method, request.Path.Value ?? "");
        var durable = endpoint?.Scope == ScopeNames.Trade;
        var bodyFeature = context.Features.Get<IHttpResponseBodyFeature>()!;
        using var held = durable ? Hold(bodyFeature, context) : null;
        var heldFeature = held is null ? null : new StreamResponseBodyFeature(held, bodyFeature);
        if (heldFeature is not null)
        {
            context.Features.Set<IHttpResponseBodyFeature>(heldFeature);
            context.Features.Set(new SentRecordFeature());
        }

        var log = new RequestLogContext(context.TraceIdentifier);
        context.Features.Set(log);
        using (Serilog.Context.LogContext.Push(log))
        {
            try
            {
                await next(context).ConfigureAwait(false);
                if (held is null ? !context.WebSockets.IsWebSocketRequest : await held.DecideAsync().ConfigureAwait(false))
                {
                    // Ends the answer now (a chunked one's last chunk goes out here, not when this step returns): the
                    // record below is described and queued after the bot has its answer, not before. Not ended here: an
                    // answer held for its record, and a WebSocket's upgraded connection.
                    if (heldFeature is not null)
                    {
                        await heldFeature.CompleteAsync().ConfigureAwait(false); // anything its pipe writer holds, passed on
                        context.Features.Set(bodyFeature);
                    }

                    await context.Response.CompleteAsync().ConfigureAwait(false);
                }
            }
            finally
            {
                var refusal = context.Features.Get<RefusalFeature>();
                if (refusal is { Status: StatusCodes.Status401Unauthorized })
                {
                    // For the anomaly detectors: throttled refusals too, each a request with a certificate that is not let in.
                    metrics.RefusedAuthentication(context.Connection.ClientCertificate is { } certificate ? BotRegistry.Thumbprint(certificate) : "(none)", refusal.Message);
                }

                var outcome = Outcome(context, refusal);
                if (context.Features.Get<BotIdentity>() is { } bot)
                {
                    metrics.Decided(bot.Name, endpoint?.Scope ?? "none", outcome, context.Features.Get<PlacedOrdersFeature>()?.Orders.Count ?? endpoint?.OrderCount ?? 0);
                }

                // A throttled refusal gets no row of its own: it is counted into the next audited one.
                var sent = context.Features.Get<SentRecordFeature>()?.Written;
                if (refusal is not { Counted: true })
                {
                    var record = Describe(context, endpoint, outcome, Stopwatch.GetElapsedTime(started), held?.Copy);

                    // A local refusal changed nothing at the exchange: queued. A trade request sent there: its sent
                    // record is on its way to disk, the outcome is queued behind it. One answered here (nothing sent,
                    // no refusal): this record is the only one, so it goes to disk.
                    if (held is null || refusal is not null || sent is not null)
                    {
                        await audit.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        await audit.WriteDurableAsync(record, CancellationToken.None).ConfigureAwait(false);
                    }
                }

                if (sent is not null)
                {
                    await sent.ConfigureAwait(false);
                }

                if (held is not null)
                {
                    context.Features.Set(bodyFeature);
                    if (held.IsHeld)
                    {
                        held.Copy.Position = 0;
                        await held.Copy.CopyToAsync(bodyFeature.Stream, context.RequestAborted).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    // A method of its own: the callback's closure only for the trade requests whose answer is held.
    private static HeldAnswerStream Hold(IHttpResponseBodyFeature body, HttpContext context) => new(body.Stream, () => Release(context));

    /// <summary>
    /// What a trade's answer waits for before it goes to the bot: its <c>sent</c> record's flush if it was sent to the
    /// exchange; nothing if it was refused here (its record changed nothing); null — held whole until its own record is on
    /// disk — if it was answered here otherwise.
    /// </summary>
    private static Task? Release(HttpContext context) =>
        context.Features.Get<SentRecordFeature>()?.Written ?? (context.Features.Get<RefusalFeature>() is not null ? Task.CompletedTask : null);

    /// <summary>For a request refused before the budget step weighed it.</summary>
    private static int? QueryWeight(UsdmEndpoint? endpoint, HttpRequest request) => endpoint?.WeightFor(request.Query, static (query, name) => First(query[name]));

    private static string? First(StringValues values) => values.Count > 0 ? values[0] : null;

    /// <summary>What became of the request: refused here, the upstream failed, or forwarded (the metric and the audit record say the same).</summary>
    private static string Outcome(HttpContext context, RefusalFeature? refusal) =>
        refusal is not null ? "denied" : context.GetForwarderErrorFeature() is not null ? "upstream_error" : "forwarded";

    // Describe runs start to end on one thread without awaiting: each thread reuses its own buffer and writer.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// The record's details, written straight to JSON (no dictionary of boxed values, no reflection): the bot's own
    /// input — query, body, refusal reason, client ids — redacted; everything else is the gateway's.
    /// </summary>
    private AuditRecord Describe(HttpContext context, UsdmEndpoint? endpoint, string outcome, TimeSpan elapsed, MemoryStream? buffered)
    {
        var request = context.Request;
        var bot = context.Features.Get<BotIdentity>();
        var refusal = context.Features.Get<RefusalFeature>();
        var upstreamError = context.GetForwarderErrorFeature();
        var type = refusal is not null ? Classify(refusal) : AuditEventTypes.Traffic;

        var json = StartDetails(context);
        json.WriteNumber("status", context.Response.StatusCode);
        WriteText(json, "mode", bot?.Mode.ToConfigValue());
        WriteNumber(json, "weight", context.Features.Get<RequestWeightFeature>()?.Weight ?? QueryWeight(endpoint, request));
        json.WriteNumber("latencyMs", Math.Round(elapsed.TotalMilliseconds, 2));
        WriteNumber(json, "requestBytes", request.ContentLength);
        WriteNumber(json, "responseBytes", buffered?.Length ?? context.Response.ContentLength);
        WriteNumber(json, "code", refusal?.Code);
        WriteText(json, "reason", refusal?.Message is { } reason ? Redactor.Redact(reason) : null);
        WriteNumber(json, "refusedUnansweredBefore", refusal is { SuppressedBefore: > 0 } ? refusal.SuppressedBefore : null);
        WriteText(json, "upstreamError", upstreamError?.Error.ToString());
        WriteText(json, "usedWeight1m", First(context.Response.Headers["X-MBX-USED-WEIGHT-1M"]));
        WriteTraceAndClientIds(json, context);

        if (buffered is not null && refusal is null)
        {
            json.WritePropertyName("answer");
            JsonSerializer.Serialize(json, OrderAnswer.Parse(buffered.GetBuffer().AsSpan(0, (int)buffered.Length)), AuditJson.Default.ListDictionaryStringObject!);
        }

        return EndRecord(json, context, bot, time, type, OutcomeText(outcome, context.Response.StatusCode));
    }

    // "forwarded 200": a handful of outcomes and statuses, each text made once rather than twice per record.
    private static readonly ConcurrentDictionary<(string Outcome, int Status), string> OutcomeTexts = new();

    private static string OutcomeText(string outcome, int status) =>
        OutcomeTexts.GetOrAdd((outcome, status), static key => key.Outcome + " " + key.Status.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The record of a trade request as it is handed to the exchange: what the bot asked for (redacted), the client
    /// ids the exchange will know the orders by, and the trace id its outcome's record will carry.
    /// </summary>
    internal static AuditRecord DescribeSent(HttpContext context, TimeProvider time)
    {
        var bot = context.Features.Get<BotIdentity>();
        var json = StartDetails(context);
        WriteText(json, "mode", bot?.Mode.ToConfigValue());
        WriteNumber(json, "weight", context.Features.Get<RequestWeightFeature>()?.Weight);
        WriteTraceAndClientIds(json, context, withSymbols: true);
        return EndRecord(json, context, bot, time, AuditEventTypes.Sent, "sent");
    }

    /// <summary>The thread's writer, reset, with the details every record starts with: the bot's request, redacted.</summary>
    private static Utf8JsonWriter StartDetails(HttpContext context)
    {
        var request = context.Request;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var json = t_writer ??= new Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartObject();
        json.WriteString("method", request.Method);
        WriteText(json, "query", request.QueryString.Value is { } query ? Redactor.Redact(query) : null);
        WriteText(json, "body", context.Features.Get<GatewayRequest>()?.RawBody is { Length: > 0 } body ? Redactor.Redact(body) : null);
        return json;
    }

    private static void WriteTraceAndClientIds(Utf8JsonWriter json, HttpContext context, bool withSymbols = false)
    {
        json.WriteString("traceId", Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier);
        if (context.Features.Get<PlacedOrdersFeature>() is not { } placed)
        {
            return;
        }

        // Known before the exchange answers, so an order whose answer was lost can still be found by it.
        json.WriteStartArray("clientIds");
        foreach (var order in placed.Orders)
        {
            json.WriteStringValue(Redactor.Redact(order.ClientOrderId));
        }

        json.WriteEndArray();
        if (withSymbols)
        {
            // Each client id's symbol, in the same order: what looking the order up needs (SentOrders, at a start).
            json.WriteStartArray("symbols");
            foreach (var order in placed.Orders)
            {
                json.WriteStringValue(order.Symbol);
            }

            json.WriteEndArray();

            // A bot id too long to be carried in the exchange's id is mapped to a random one (Orders' ClientIds): only
            // this record says which bot id a lost ledger row mapped, so that a recovered order keeps the bot's own id.
            if (placed.Orders.Any(static o => !o.ClientOrderId.EndsWith(o.BotClientId, StringComparison.Ordinal)))
            {
                json.WriteStartArray("botClientIds");
                foreach (var order in placed.Orders)
                {
                    json.WriteStringValue(Redactor.Redact(order.BotClientId));
                }

                json.WriteEndArray();
            }
        }
    }

    /// <summary>Closes the details begun by <see cref="StartDetails"/> and makes the record: who, which endpoint, what became of it.</summary>
    private static AuditRecord EndRecord(Utf8JsonWriter json, HttpContext context, BotIdentity? bot, TimeProvider time, string type, string outcome)
    {
        json.WriteEndObject();
        json.Flush();
        var details = Encoding.UTF8.GetString(t_buffer!.WrittenSpan);
        if (t_buffer.Capacity > 64 * 1024)
        {
            // A large batch answer: not kept for the thread's next, small, record.
            (t_buffer, t_writer) = (null, null);
        }

        return new AuditRecord
        {
            OccurredAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Type = type,
            Bot = bot?.Name ?? CertificateName(context),
            Endpoint = context.Request.Method + " " + context.Request.Path.Value,
            Outcome = outcome,
            Details = details,
        };
    }

    private static void WriteText(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Classify(RefusalFeature refusal) => refusal.Status switch
    {
        401 => AuditEventTypes.AuthFailure,
        403 or 404 => AuditEventTypes.ScopeDenied,
        418 or 429 => AuditEventTypes.RateLimited,
        503 when refusal.Code == ExchangeErrorCodes.Disconnected => AuditEventTypes.Traffic,
        _ => AuditEventTypes.ValidationError,
    };

    private static string? CertificateName(HttpContext context) =>
        context.Connection.ClientCertificate?.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false);
}
