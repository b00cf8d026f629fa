namespace TradeFinder.Gateway.Keys;

/// <summary>Reads secret files as bytes, refusing any the group or others may read or write.</summary>
internal static class KeyFiles
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static byte[] ReadSecretFile(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new KeyMaterialException($"{what}: {path} does not exist.");
        }

        if (!OperatingSystem.IsWindows())
        {
            // Follows symlinks, so Kubernetes' ..data links are judged by the file they point at.
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                throw new KeyMaterialException(
                    $"{what}: {path} is readable or writable by group/others ({Convert.ToString((int)mode, 8)}); make it owner-only (chmod 600, Kubernetes defaultMode 0400, Docker secret mode 0400).");
            }
        }

        return File.ReadAllBytes(path);
    }
}
