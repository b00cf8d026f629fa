using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Persistence;

/// <summary>
/// Saves the paper account to one JSON file (owner-only, replaced atomically) so it survives restarts.
/// Saving is debounced: changes mark the state dirty and a timer writes at most once a second.
/// </summary>
internal sealed partial class StateStore : IAsyncDisposable
{
    private readonly string _path;
    private readonly PaperVenue _venue;
    private readonly ITimer _timer;
    private readonly Lock _saving = new();
    private int _dirty;

    // What the file holds, as written by this store (null until its first save).
    private byte[]? _saved;

    /// <summary>Set once the host is built (the store is created before it, so it sees every change).</summary>
    public ILogger? Logger { get; set; }

    public StateStore(string path, PaperVenue venue, TimeProvider time)
    {
        _path = path;
        _venue = venue;
        venue.Changed += () => Interlocked.Exchange(ref _dirty, 1);
        _timer = time.CreateTimer(_ => SaveInBackground(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public static AccountState? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return JsonSerializer.Deserialize(File.ReadAllText(path), StateJson.Default.AccountState);
    }

    public void SaveIfDirty()
    {
        // One save at a time: a slow disk must not let two ticks write the same temporary file.
        lock (_saving)
        {
            if (Interlocked.Exchange(ref _dirty, 0) == 1)
            {
                // The venue's periodic tick counts as a change whether or not it changed anything: an idle account
                // would otherwise be written (a new file, renamed over the old) every second, for nothing.
                var json = _venue.SnapshotJson();
                if (_saved is null || !json.AsSpan().SequenceEqual(_saved))
                {
                    Write(_path, json);
                    _saved = json;
                }
            }
        }
    }

    /// <summary>The timer's save: an exception on a timer thread would end the process, so a failed write is tried again next tick.</summary>
    private void SaveInBackground()
    {
        try
        {
            SaveIfDirty();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Interlocked.Exchange(ref _dirty, 1);
            if (Logger is not null)
            {
                SaveFailed(Logger, ex, _path);
            }
        }
    }

    private static void Write(string path, byte[] json)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        {
            stream.Write(json);
        }

        File.Move(temp, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _dirty, 1);
        SaveIfDirty();
    }

    [LoggerMessage(900, LogLevel.Error, "Saving the paper account state to {Path} failed; trying again in a second", EventName = "PaperStateSaveFailed")]
    private static partial void SaveFailed(ILogger logger, Exception exception, string path);
}
