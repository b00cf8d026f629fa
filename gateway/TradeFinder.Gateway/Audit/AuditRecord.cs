using System.Text.Json;
using TradeFinder.Gateway.Logging;

namespace TradeFinder.Gateway.Audit;

/// <summary>What happened, before it is chained: details are redacted when the record is made.</summary>
internal sealed record AuditRecord
{
    private readonly Guid? _eventId;
    private readonly long _occurredAtMs;

    /// <summary>
    /// Time-ordered (UUIDv7 from <see cref="OccurredAtMs"/>), so the store's unique index grows at its end instead
    /// of at a random page per insert, which is what kept the audit writer reading pages back from disk.
    /// </summary>
    public Guid EventId { get => _eventId ?? Guid.Empty; init => _eventId = value; }

    public required long OccurredAtMs
    {
        get => _occurredAtMs;
        init
        {
            _occurredAtMs = value;
            _eventId ??= AuditEventIds.Next(value);
        }
    }

    public required string Type { get; init; }

    public string? Bot { get; init; }

    public string? Endpoint { get; init; }

    public required string Outcome { get; init; }

    public string Details { get; init; } = "{}";

    /// <summary>Details as JSON, each value redacted in the light of its name (secret names are masked whole).</summary>
    public static string SerializeDetails(IReadOnlyDictionary<string, object?> details) =>
        JsonSerializer.Serialize(details.ToDictionary(d => d.Key, d => d.Value switch
        {
            _ when Redactor.IsSecretName(d.Key) => Redactor.Mask,
            string text when !Redactor.IsSafeName(d.Key) => Redactor.Redact(text),
            var other => other,
        }), AuditJson.Default.DictionaryStringObject);
}
