namespace TradeFinder.Testing;

public static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A temporary directory deleted on dispose.</summary>
public sealed class ScopedTempDirectory(string prefix) : IDisposable
{
    public string Path { get; } = TempDirectory.Create(prefix);

    public void Dispose() => TempDirectory.Delete(Path);
}
