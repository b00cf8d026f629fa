namespace TradeFinder.Gateway.Context;

/// <summary>
/// Files in the data dir are readable by the gateway's user only (0600, directories 0700), and are replaced
/// atomically so a concurrently reading gateway never sees half a file.
/// </summary>
internal static class SecureFiles
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void EnsureDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        // CreateDirectory applies the mode only to the leaf; create each missing parent owner-only too.
        var full = Path.GetFullPath(path);
        var parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent))
        {
            EnsureDirectory(parent);
        }

        Directory.CreateDirectory(full, OwnerOnlyDirectory);
    }

    /// <summary>Makes an existing file owner-only (0600); files the gateway did not create itself may be looser.</summary>
    public static void TightenFile(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerOnlyFile) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnlyFile);
        }
    }

    /// <summary>Makes an existing data dir owner-only (0700), as a data dir created by an older version or by hand may not be.</summary>
    public static void TightenDirectory(string path)
    {
        if (!OperatingSystem.IsWindows() && Directory.Exists(path) && (File.GetUnixFileMode(path) & ~OwnerOnlyDirectory) != 0)
        {
            File.SetUnixFileMode(path, OwnerOnlyDirectory);
        }
    }

    /// <summary>Writes bytes to a new owner-only file (a key), atomically like <see cref="WriteAllText"/>.</summary>
    public static void WriteAllBytes(string path, byte[] contents)
    {
        EnsureDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        using (var stream = new FileStream(temp, CreateOptions()))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Appends a line to an owner-only file and flushes it to disk (an append-only log).</summary>
    public static void AppendLine(string path, string line)
    {
        EnsureDirectory(Path.GetDirectoryName(path)!);
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using var stream = new FileStream(path, options);
        stream.Write(System.Text.Encoding.UTF8.GetBytes(line));
        stream.Flush(flushToDisk: true);
    }

    private static FileStreamOptions CreateOptions()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        return options;
    }

    public static void WriteAllText(string path, string contents)
    {
        EnsureDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(contents);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
