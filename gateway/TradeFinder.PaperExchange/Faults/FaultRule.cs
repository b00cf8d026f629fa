using System.Text.Json.Serialization;

namespace TradeFinder.PaperExchange.Faults;

/// <summary>What a fault does to a matching request.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>Delay, then serve normally.</summary>
    Latency,

    /// <summary>Answer with <see cref="FaultRule.Status"/> (e.g. 500, 502, 503) and an exchange body.</summary>
    Status,

    /// <summary>Drop the connection without an answer.</summary>
    Reset,

    /// <summary>Never answer (until the client gives up); the request is not processed.</summary>
    Timeout,

    /// <summary>Answer with an exchange error code (e.g. -1021, -1007, -1008) and <see cref="FaultRule.Status"/>.</summary>
    ErrorCode,

    /// <summary>429 -1003 with Retry-After.</summary>
    RateLimit,

    /// <summary>418 -1003 "banned until" with Retry-After.</summary>
    Ban,

    /// <summary>Process the request (an order is placed), then never answer: the outcome is unknown to the client.</summary>
    AcceptThenTimeout,
}

/// <summary>A fault for requests whose path matches <see cref="PathPattern"/> ('*' wildcards).</summary>
/// <remarks>
/// Settable, not init-only: generated JSON deserialization fills init-only properties missing from the body with their
/// type's default, losing the defaults below (a rule posted without a probability would never fire).
/// </remarks>
public sealed record FaultRule
{
    /// <summary>Path pattern, e.g. <c>/fapi/v1/order</c> or <c>/fapi/*</c>.</summary>
    public string PathPattern { get; set; } = "*";

    /// <summary>HTTP method to match; null matches any.</summary>
    public string? Method { get; set; }

    /// <summary>The fault.</summary>
    public FaultKind Kind { get; set; }

    /// <summary>How many requests to affect; null for every matching request.</summary>
    public int? Count { get; set; }

    /// <summary>Chance per matching request, drawn from the seeded generator.</summary>
    public double Probability { get; set; } = 1.0;

    /// <summary>Delay for <see cref="FaultKind.Latency"/>, in ms.</summary>
    public int LatencyMs { get; set; }

    /// <summary>HTTP status for Status/ErrorCode faults.</summary>
    public int Status { get; set; } = 503;

    /// <summary>Exchange error code for ErrorCode/Status faults.</summary>
    public int Code { get; set; } = -1001;

    /// <summary>Message for ErrorCode/Status faults.</summary>
    public string? Message { get; set; }

    /// <summary>Retry-After for RateLimit/Ban, in seconds.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
