using System.Text.Json;
using System.Text.Json.Serialization;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Persistence;

/// <summary>
/// Saves the paper account to one JSON file (owner-only, replaced atomically) so it survives restarts.
/// Saving is debounced: changes mark the state dirty and a timer writes at most once a second.
/// </summary>
internal sealed class StateStore : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = false,
    };

    private readonly string _path;
    private readonly PaperVenue _venue;
    private readonly ITimer _timer;
    private int _dirty;

    public StateStore(string path, PaperVenue venue, TimeProvider time)
    {
        _path = path;
        _venue = venue;
        venue.Changed += () => Interlocked.Exchange(ref _dirty, 1);
        _timer = time.CreateTimer(_ => SaveIfDirty(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public static AccountState? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return JsonSerializer.Deserialize<AccountState>(File.ReadAllText(path), Json);
    }

    public void SaveIfDirty()
    {
        if (Interlocked.Exchange(ref _dirty, 0) == 1)
        {
            Save(_path, _venue.Snapshot());
        }
    }

    public static void Save(string path, AccountState state)
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
            JsonSerializer.Serialize(stream, state, Json);
        }

        File.Move(temp, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        Interlocked.Exchange(ref _dirty, 1);
        SaveIfDirty();
    }
}
