using System.Text;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Keys from a directory of secret files, as mounted by Docker/Kubernetes secrets or rendered by Vault Agent
/// or External Secrets: <c>{Directory}/{set}/api-key</c> plus <c>secret</c> (HMAC) or <c>private-key.pem</c>
/// (Ed25519/RSA, PKCS#8). A changed file is noticed by <see cref="KeyWatcher"/> and starts a rotation.
/// </summary>
internal sealed class FileKeyProvider(string directory) : IKeyProvider
{
    public const string ApiKeyFile = "api-key";
    public const string SecretFile = "secret";
    public const string PrivateKeyFile = "private-key.pem";

    public string Name => "files";

    public bool CanChange => true;

    public string Directory => directory;

    public string Describe(KeySet set) => Path.Combine(directory, set.Name);

    public Task<KeyMaterial> ReadAsync(KeySet set, CancellationToken cancellationToken)
    {
        var dir = Describe(set);
        var apiKeyBytes = KeyFiles.ReadSecretFile(Path.Combine(dir, ApiKeyFile), $"key set '{set.Name}'");
        var pemPath = Path.Combine(dir, PrivateKeyFile);
        var isPem = File.Exists(pemPath);
        var secret = KeyFiles.ReadSecretFile(isPem ? pemPath : Path.Combine(dir, SecretFile), $"key set '{set.Name}'");
        var material = new KeyMaterial(Encoding.UTF8.GetString(apiKeyBytes), secret, isPem, KeyMaterial.ContentVersion(apiKeyBytes, secret));
        try
        {
            material.EnsureNotPlaceholder($"key set '{set.Name}' ({dir})");
            return Task.FromResult(material);
        }
        catch
        {
            material.Dispose();
            throw;
        }
    }
}
