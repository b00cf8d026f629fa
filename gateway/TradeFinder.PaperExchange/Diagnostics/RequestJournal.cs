using System.Collections.Concurrent;

namespace TradeFinder.PaperExchange.Diagnostics;

/// <summary>One request as the simulator received it, and how it judged it.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Request path.</param>
/// <param name="Query">Raw query string without the leading '?'.</param>
/// <param name="ApiKeyHeader">The <c>X-MBX-APIKEY</c> header value, if any.</param>
/// <param name="Body">Raw form body, if any.</param>
/// <param name="Outcome">"ok" or the exchange error code returned.</param>
/// <param name="HeaderNames">The names of the request's headers (what a client tells the exchange besides its parameters).</param>
public sealed record JournalEntry(string Method, string Path, string Query, string? ApiKeyHeader, string Body, string Outcome, IReadOnlyList<string>? HeaderNames = null);

/// <summary>A bounded record of recent requests, kept only when enabled.</summary>
public sealed class RequestJournal
{
    private const int Capacity = 4096;
    private readonly ConcurrentQueue<JournalEntry> _entries = new();

    internal RequestJournal(bool enabled) => Enabled = enabled;

    /// <summary>Whether requests are being recorded.</summary>
    public bool Enabled { get; }

    /// <summary>Recorded requests, oldest first.</summary>
    public IReadOnlyList<JournalEntry> Entries => [.. _entries];

    /// <summary>Forgets everything recorded so far.</summary>
    public void Clear() => _entries.Clear();

    internal void Record(JournalEntry entry)
    {
        if (!Enabled)
        {
            return;
        }

        _entries.Enqueue(entry);
        while (_entries.Count > Capacity && _entries.TryDequeue(out _))
        {
        }
    }
}
