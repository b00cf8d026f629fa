using System.Buffers;
using System.Globalization;
using System.Text;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// Each row's hash is a keyed MAC (HMAC-SHA256 with the <see cref="AuditChainKey"/>) over its own fields and the
/// previous row's hash, so changing, removing or re-ordering any row breaks every hash after it, and without the
/// key (never in the database) no one can recompute a chain that verifies. Signed checkpoints outside the
/// database catch what a chain alone cannot: its newest rows cut off. Retention moves an anchor forward.
/// </summary>
internal static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    // U+001F, the unit separator, between the MAC'd fields (one byte in UTF-8).
    private const byte Separator = 0x1F;

    public static AuditEvent Link(AuditRecord record, long sequence, string prevHash, AuditChainKey key) => new(
        sequence, record.EventId, record.OccurredAtMs, record.Type, record.Bot, record.Endpoint, record.Outcome, record.Details, prevHash,
        Hash(key, sequence, record.EventId, record.OccurredAtMs, record.Type, record.Bot, record.Endpoint, record.Outcome, record.Details, prevHash));

    public static string Hash(AuditEvent e, AuditChainKey key) => Hash(key, e.Sequence, e.EventId, e.OccurredAtMs, e.Type, e.Bot, e.Endpoint, e.Outcome, e.Details, e.PrevHash);

    /// <summary>Verifies a whole store, from its retention anchor (if any) to its last row, and against the checkpoints.</summary>
    public static async Task<AuditVerification> VerifyAsync(IAuditStore store, AuditChainKey key, AuditCheckpoints? checkpoints, CancellationToken cancellationToken) =>
        await VerifyAsync(store.ReadAllAsync(cancellationToken), await store.AnchorAsync(cancellationToken).ConfigureAwait(false), key, checkpoints, cancellationToken).ConfigureAwait(false);

    public static async Task<AuditVerification> VerifyAsync(
        IAsyncEnumerable<AuditEvent> events, (long Sequence, string Hash)? anchor, AuditChainKey key, AuditCheckpoints? checkpoints, CancellationToken cancellationToken)
    {
        var signed = checkpoints?.ReadAll() ?? [];
        if (signed.FirstOrDefault(c => !c.Signed) is { Line: > 0 } forged)
        {
            return new AuditVerification(false, 0, $"checkpoint line {forged.Line} is not signed by the audit chain key (forged or damaged)");
        }

        var expected = signed.Select(c => c.Checkpoint!).Where(c => c.Sequence > (anchor?.Sequence ?? 0))
            .GroupBy(c => c.Sequence).ToDictionary(g => g.Key, g => g.Last());
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

            if (!string.Equals(Hash(e, key), e.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, checkedRows, $"row {e.Sequence} was changed after it was written (its MAC does not match: edited, or the chain was recomputed without the key)");
            }

            if (expected.Remove(e.Sequence, out var checkpoint) && !string.Equals(checkpoint.Head, e.Hash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, checkedRows, $"row {e.Sequence} differs from the checkpoint signed at {DateTimeOffset.FromUnixTimeMilliseconds(checkpoint.AtMs):O}");
            }

            expectedPrev = e.Hash;
            expectedSequence++;
            checkedRows++;
        }

        if (expected.Count > 0)
        {
            var newest = expected.Values.MaxBy(c => c.Sequence)!;
            return new AuditVerification(false, checkedRows,
                $"the newest rows were removed: a checkpoint signed at {DateTimeOffset.FromUnixTimeMilliseconds(newest.AtMs):O} names row {newest.Sequence}, the trail ends at row {expectedSequence - 1}");
        }

        return new AuditVerification(true, checkedRows, null);
    }

    /// <summary>
    /// The MAC of the fields joined by U+001F, in UTF-8: written field by field into one pooled buffer, the same bytes
    /// as encoding the joined string (every row ever written verifies against them), without building that string.
    /// </summary>
    private static string Hash(AuditChainKey key, long sequence, Guid eventId, long occurredAtMs, string type, string? bot, string? endpoint, string outcome, string details, string prevHash)
    {
        bot ??= "";
        endpoint ??= "";
        const int Numbers = 20 + 36 + 20, Separators = 8;
        var buffer = ArrayPool<byte>.Shared.Rent(Numbers + Separators + Encoding.UTF8.GetMaxByteCount(type.Length + bot.Length + endpoint.Length + outcome.Length + details.Length + prevHash.Length));
        try
        {
            var span = buffer.AsSpan();
            var at = 0;
            sequence.TryFormat(span[at..], out var written, default, CultureInfo.InvariantCulture);
            at += written;
            span[at++] = Separator;
            eventId.TryFormat(span[at..], out written, "D");
            at += written;
            span[at++] = Separator;
            occurredAtMs.TryFormat(span[at..], out written, default, CultureInfo.InvariantCulture);
            at += written;
            foreach (var text in (ReadOnlySpan<string>)[type, bot, endpoint, outcome, details, prevHash])
            {
                span[at++] = Separator;
                at += Encoding.UTF8.GetBytes(text, span[at..]);
            }

            return key.Mac(span[..at]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
