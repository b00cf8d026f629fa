using System.Text;
using System.Text.Json;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// Append-only file of records not yet in the database (it was unreachable). Every append is flushed to disk before
/// it counts as durable; replay skips records the database already has, so it is exactly once. Each line is
/// <c>MAC record-json</c>, the MAC keyed by the <see cref="AuditChainKey"/> over the previous line's MAC and the
/// record, so a line edited, removed or inserted while the database was away stops replay (with the line number)
/// instead of entering the chain. Only a torn last line, from a crash mid-append, is dropped: it was never
/// acknowledged as durable.
/// </summary>
internal sealed class AuditSpool(string path, AuditChainKey key)
{
    private const int MacLength = 64;
    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdef");
    private readonly Lock _gate = new();
    private string _lastMac = AuditChain.Genesis;
    private long _knownLength = -1;
    private (long Length, string LastMac) _consumed = (0, AuditChain.Genesis);

    // Only this process writes the file while it runs (the runbook stops the gateway before moving it aside): known
    // after the first look and kept up to date by Append, ReadAll and Clear, so the writer's check costs no stat per batch.
    private bool? _hasEntries;

    public bool HasEntries
    {
        get
        {
            lock (_gate)
            {
                return _hasEntries ??= File.Exists(path) && new FileInfo(path).Length > 0;
            }
        }
    }

    public void Append(IEnumerable<AuditRecord> records)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, options);
            if (stream.Length != _knownLength)
            {
                // Not the file this process last wrote (first append, moved aside, or a crash left a torn line).
                _lastMac = DropTornTailAndReadLastMac(stream);
            }

            stream.Seek(0, SeekOrigin.End);
            var text = new StringBuilder();
            foreach (var record in records)
            {
                var json = JsonSerializer.Serialize(record, AuditJson.Default.AuditRecord);
                _lastMac = Mac(_lastMac, json);
                text.Append(_lastMac).Append(' ').Append(json).Append('\n');
            }

            stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
            stream.Flush(flushToDisk: true);
            _knownLength = stream.Length;
            _hasEntries = _knownLength > 0;
        }
    }

    /// <summary>Every spooled record, in order; <see cref="Clear"/> then removes exactly these.</summary>
    /// <exception cref="AuditSpoolException">A line is unreadable or breaks the chain; nothing may be replayed.</exception>
    public IReadOnlyList<AuditRecord> ReadAll()
    {
        lock (_gate)
        {
            if (!File.Exists(path))
            {
                (_consumed, _hasEntries) = ((0, AuditChain.Genesis), false);
                return [];
            }

            var bytes = File.ReadAllBytes(path);
            _hasEntries = bytes.Length > 0;
            var (records, length, lastMac) = Read(bytes, 0, AuditChain.Genesis, 1);
            _consumed = (length, lastMac);
            return records;
        }
    }

    /// <summary>
    /// Removes what <see cref="ReadAll"/> returned. Records appended since (late writers, a full queue) stay, re-chained
    /// from the start of the file once their own chain has been checked.
    /// </summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (!File.Exists(path))
            {
                _hasEntries = false;
                return;
            }

            // Usually nothing was appended since the replay read the file, and it need not be read again.
            var rest = new FileInfo(path).Length == _consumed.Length ? [] : Remainder(File.ReadAllBytes(path));
            File.Delete(path);
            (_lastMac, _knownLength, _consumed, _hasEntries) = (AuditChain.Genesis, -1, (0, AuditChain.Genesis), false);
            if (rest.Count > 0)
            {
                Append(rest);
            }
        }
    }

    private List<AuditRecord> Remainder(byte[] bytes) =>
        Read(bytes, _consumed.Length, _consumed.LastMac, firstLine: 1 + bytes.AsSpan(0, (int)_consumed.Length).Count((byte)'\n')).Records;

    private (List<AuditRecord> Records, long Length, string LastMac) Read(byte[] bytes, long from, string previous, int firstLine)
    {
        var records = new List<AuditRecord>();
        var offset = (int)from;
        var number = firstLine;

        // Text after the last newline is a torn append (or nothing): never acknowledged, so not replayed.
        for (var end = Array.IndexOf(bytes, (byte)'\n', offset); end >= 0; end = Array.IndexOf(bytes, (byte)'\n', offset), number++)
        {
            var (mac, json) = Split(Encoding.UTF8.GetString(bytes, offset, end - offset));
            if (mac is null || !string.Equals(mac, Mac(previous, json), StringComparison.Ordinal))
            {
                throw new AuditSpoolException(path, number, mac is null ? "not a chained spool line" : "its MAC does not follow the line before (edited, removed or inserted)");
            }

            AuditRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(json, AuditJson.Default.AuditRecord);
            }
            catch (JsonException ex)
            {
                throw new AuditSpoolException(path, number, "unreadable record: " + ex.Message);
            }

            records.Add(record ?? throw new AuditSpoolException(path, number, "empty record"));
            previous = mac;
            offset = end + 1;
        }

        return (records, offset, previous);
    }

    private string Mac(string previous, string json) => key.Mac(previous + "\u001f" + json);

    private static (string? Mac, string Json) Split(string line) =>
        line.Length > MacLength + 1 && line[MacLength] == ' ' && !line.AsSpan(0, MacLength).ContainsAnyExcept(Hex)
            ? (line[..MacLength], line[(MacLength + 1)..])
            : (null, line);

    private static string DropTornTailAndReadLastMac(FileStream stream)
    {
        stream.Seek(0, SeekOrigin.Begin);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (end < bytes.Length)
        {
            stream.SetLength(end);
        }

        if (end == 0)
        {
            return AuditChain.Genesis;
        }

        var lastLineStart = end >= 2 ? Array.LastIndexOf(bytes, (byte)'\n', end - 2) + 1 : 0;
        var (mac, _) = Split(Encoding.UTF8.GetString(bytes, lastLineStart, end - 1 - lastLineStart));

        // An unchained last line keeps its place; replay will stop at it with a clear error.
        return mac ?? AuditChain.Genesis;
    }
}

/// <summary>The spool cannot be replayed as it stands; the operator must look at it (see OPERATIONS, audit trail).</summary>
internal sealed class AuditSpoolException(string path, int line, string problem)
    : Exception($"Audit spool {path} line {line}: {problem}. Replay stopped; new records keep being spooled after it.")
{
    public int Line { get; } = line;
}
