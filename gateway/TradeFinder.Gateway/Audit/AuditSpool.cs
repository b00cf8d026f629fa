using System.Text.Json;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// Append-only file of records not yet in the database (it was unreachable). Every append is flushed to
/// disk before it counts as durable; replay skips records the database already has, so it is exactly once.
/// </summary>
internal sealed class AuditSpool(string path)
{
    private readonly Lock _gate = new();

    public bool HasEntries
    {
        get
        {
            lock (_gate)
            {
                return File.Exists(path) && new FileInfo(path).Length > 0;
            }
        }
    }

    public void Append(IEnumerable<AuditRecord> records)
    {
        lock (_gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var stream = new FileStream(path, options);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                foreach (var record in records)
                {
                    writer.WriteLine(JsonSerializer.Serialize(record));
                }
            }

            stream.Flush(flushToDisk: true);
        }
    }

    public IReadOnlyList<AuditRecord> ReadAll()
    {
        lock (_gate)
        {
            if (!File.Exists(path))
            {
                return [];
            }

            var records = new List<AuditRecord>();
            foreach (var line in File.ReadLines(path))
            {
                try
                {
                    if (line.Length > 0 && JsonSerializer.Deserialize<AuditRecord>(line) is { } record)
                    {
                        records.Add(record);
                    }
                }
                catch (JsonException)
                {
                    // A torn last line from a crash mid-append: that record was never acknowledged as durable.
                }
            }

            return records;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            File.Delete(path);
        }
    }
}
