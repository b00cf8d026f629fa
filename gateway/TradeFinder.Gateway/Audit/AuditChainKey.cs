using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Audit;

/// <summary>
/// The key of the audit chain's MAC. It lives outside the audit database (a file of its own, 0600, by default
/// next to the data dir's other secrets, or wherever <c>Gateway:Audit:ChainKeyFile</c> points — a mounted
/// secret), so someone who can rewrite the database cannot recompute a chain that verifies.
/// </summary>
internal sealed class AuditChainKey : IDisposable
{
    public const string FileSetting = "Gateway:Audit:ChainKeyFile";
    private const int Length = 32;
    private readonly byte[] _key;
    private readonly IncrementalHash _hmac;
    private readonly Lock _gate = new();

    internal AuditChainKey(byte[] key)
    {
        _key = key.Length >= Length ? key : throw new ArgumentException("The audit chain key must be at least 32 bytes.", nameof(key));
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
    }

    /// <summary>The gateway's key, created on first start when it lives in the data dir.</summary>
    public static AuditChainKey LoadOrCreate(IConfiguration configuration, GatewayPaths paths)
    {
        var (path, configured) = Where(configuration, paths);
        if (!File.Exists(path))
        {
            if (configured)
            {
                throw new GatewayStartupException($"{FileSetting} points at '{path}', which does not exist.");
            }

            SecureFiles.WriteAllBytes(path, RandomNumberGenerator.GetBytes(Length));
        }

        return Read(path);
    }

    /// <summary>For <c>audit verify</c>: the key must exist, a new one would verify nothing.</summary>
    public static AuditChainKey Load(IConfiguration configuration, GatewayPaths paths)
    {
        var (path, _) = Where(configuration, paths);
        return File.Exists(path)
            ? Read(path)
            : throw new GatewayStartupException($"No audit chain key at '{path}' (set {FileSetting} to where the gateway keeps it); the chain cannot be verified without it.");
    }

    public string Mac(string canonical)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(canonical.Length));
        try
        {
            return Mac(buffer.AsSpan(0, Encoding.UTF8.GetBytes(canonical, buffer)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The MAC of text already in UTF-8, as lower-case hex.</summary>
    public string Mac(ReadOnlySpan<byte> canonical)
    {
        // One keyed hash reused under a lock: the one-shot HMAC sets up the key on every call, which cost the
        // writer about a fifth of its rows per second.
        Span<byte> mac = stackalloc byte[32];
        lock (_gate)
        {
            _hmac.AppendData(canonical);
            _hmac.GetHashAndReset(mac);
        }

        return Convert.ToHexStringLower(mac);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _hmac.Dispose();
        }

        CryptographicOperations.ZeroMemory(_key);
    }

    private static (string Path, bool Configured) Where(IConfiguration configuration, GatewayPaths paths) =>
        string.IsNullOrWhiteSpace(configuration[FileSetting]) ? (paths.AuditChainKeyFile, false) : (Path.GetFullPath(configuration[FileSetting]!), true);

    private static AuditChainKey Read(string path)
    {
        var key = File.ReadAllBytes(path);
        return key.Length >= Length ? new AuditChainKey(key) : throw new GatewayStartupException($"The audit chain key at '{path}' is shorter than {Length} bytes.");
    }
}
