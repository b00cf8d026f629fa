using TradeFinder.Gateway.Context;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Context;

public sealed class SecureFilesTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tf-secure");

    public void Dispose() => TempDirectory.Delete(_dir);

    [UnixFact]
    public void LooseFilesAndDataDirs_AreTightenedToTheOwner()
    {
        var file = Path.Combine(_dir, "audit.db-wal");
        File.WriteAllText(file, "x");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(_dir, (UnixFileMode)Convert.ToInt32("755", 8));

        SecureFiles.TightenFile(file);
        SecureFiles.TightenDirectory(_dir);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_dir));
    }
}
