using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// Each row's hash covers its own fields and the previous row's hash, so changing, removing or re-ordering
/// any row breaks every hash after it. Retention moves an anchor (last purged sequence and hash) forward.
/// </summary>
internal static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    public static AuditEvent Link(AuditRecord record, long sequence, string prevHash) => new(
        sequence, record.EventId, record.OccurredAtMs, record.Type, record.Bot, record.Endpoint, record.Outcome, record.Details, prevHash,
        Hash(sequence, record.EventId, record.OccurredAtMs, record.Type, record.Bot, record.Endpoint, record.Outcome, record.Details, prevHash));

    public static string Hash(AuditEvent e) => Hash(e.Sequence, e.EventId, e.OccurredAtMs, e.Type, e.Bot, e.Endpoint, e.Outcome, e.Details, e.PrevHash);

    /// <summary>Verifies a whole store, from its retention anchor (if any) to its last row.</summary>
    public static async Task<AuditVerification> VerifyAsync(IAuditStore store, CancellationToken cancellationToken) =>
        await VerifyAsync(store.ReadAllAsync(cancellationToken), await store.AnchorAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public static async Task<AuditVerification> VerifyAsync(IAsyncEnumerable<AuditEvent> events, (long Sequence, string Hash)? anchor, CancellationToken cancellationToken)
    {
        var expectedSequence = (anchor?.Sequence ?? 0) + 1;
        var expectedPrev = anchor?.Hash ?? Genesis;
        long checkedRows = 0;
        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (e.Sequence != expectedSequence)
            {
                return new AuditVerification(false, checkedRows, $"row {expectedSequence} is missing (next row found is {e.Sequence})");
            }

            if (!string.Equals(e.PrevHash, expectedPrev, StringComparison.Ordinal))
            {
                return new AuditVerification(false, checkedRows, $"chain broken at row {e.Sequence}: it does not follow row {e.Sequence - 1} (removed or re-ordered)");
            }

            if (!string.Equals(Hash(e), e.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, checkedRows, $"row {e.Sequence} was changed after it was written");
            }

            expectedPrev = e.Hash;
            expectedSequence++;
            checkedRows++;
        }

        return new AuditVerification(true, checkedRows, null);
    }

    private static string Hash(long sequence, Guid eventId, long occurredAtMs, string type, string? bot, string? endpoint, string outcome, string details, string prevHash)
    {
        var canonical = string.Join('\u001f',
            sequence.ToString(CultureInfo.InvariantCulture), eventId.ToString("D"), occurredAtMs.ToString(CultureInfo.InvariantCulture),
            type, bot ?? "", endpoint ?? "", outcome, details, prevHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
