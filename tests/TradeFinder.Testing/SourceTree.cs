namespace TradeFinder.Testing;

/// <summary>The repository the tests were built from, for tests that read source files and docs.</summary>
public static class SourceTree
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TradeFinder.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TradeFinder.sln not found above " + AppContext.BaseDirectory);
    }
}
