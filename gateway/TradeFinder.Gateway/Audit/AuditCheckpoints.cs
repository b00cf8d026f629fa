using System.Globalization;
using System.Text.Json;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Audit;

/// <summary>A signed statement that the chain reached a row with a given hash at a given time.</summary>
internal sealed record AuditCheckpoint(long Sequence, string Head, long AtMs, string Mac)
{
    public static string Canonical(long sequence, string head, long atMs) =>
        string.Join('\u001f', "checkpoint", sequence.ToString(CultureInfo.InvariantCulture), head, atMs.ToString(CultureInfo.InvariantCulture));
}

/// <summary>
/// Checkpoints kept outside the database, in an append-only file (<c>audit/checkpoints.jsonl</c>, or
/// <c>Gateway:Audit:CheckpointFile</c>): the writer appends one at most every second and when it stops. Removing
/// the newest rows, or recomputing the chain, then no longer verifies: a checkpoint names a row the trail lacks or
/// a hash it no longer has. Each line also goes to the external <see cref="CheckpointSink"/> when one is configured.
/// </summary>
internal sealed class AuditCheckpoints(string path, AuditChainKey key, CheckpointSink? sink = null)
{
    public const string FileSetting = "Gateway:Audit:CheckpointFile";
    private readonly Lock _gate = new();

    public static AuditCheckpoints For(IConfiguration configuration, GatewayPaths paths, AuditChainKey key, CheckpointSink? sink = null) =>
        new(string.IsNullOrWhiteSpace(configuration[FileSetting]) ? paths.AuditCheckpointFile : Path.GetFullPath(configuration[FileSetting]!), key, sink);

    public void Append(long sequence, string head, long atMs)
    {
        var line = JsonSerializer.Serialize(new AuditCheckpoint(sequence, head, atMs, key.Mac(AuditCheckpoint.Canonical(sequence, head, atMs))), AuditJson.Default.AuditCheckpoint) + "\n";
        lock (_gate)
        {
            SecureFiles.AppendLine(path, line);
        }

        sink?.Offer(line);
    }

    /// <summary>Every checkpoint with whether its signature holds (line numbers from 1).</summary>
    public IReadOnlyList<(int Line, AuditCheckpoint? Checkpoint, bool Signed)> ReadAll()
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var result = new List<(int, AuditCheckpoint?, bool)>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            AuditCheckpoint? checkpoint;
            try
            {
                checkpoint = JsonSerializer.Deserialize(line, AuditJson.Default.AuditCheckpoint);
            }
            catch (JsonException)
            {
                checkpoint = null;
            }

            var signed = checkpoint is not null
                && string.Equals(key.Mac(AuditCheckpoint.Canonical(checkpoint.Sequence, checkpoint.Head, checkpoint.AtMs)), checkpoint.Mac, StringComparison.Ordinal);
            result.Add((number, checkpoint, signed));
        }

        return result;
    }
}
