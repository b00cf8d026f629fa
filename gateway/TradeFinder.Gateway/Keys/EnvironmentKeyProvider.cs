using System.Security.Cryptography;
using System.Text;
using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Keys from environment variables, for the default set of each mode only: <c>BINANCE_API_KEY</c> with
/// <c>BINANCE_SECRET</c> (HMAC) or <c>BINANCE_PRIVATE_KEY_FILE</c> (Ed25519/RSA PEM) for live, the
/// <c>BINANCE_TESTNET_*</c> variants for testnet. The environment cannot change under a running process, so
/// rotating an environment key means a restart; named sets need the files or Vault provider. The secret comes
/// from the process environment as bytes (<see cref="ProcessEnvironment"/>), never through a configuration string,
/// unless a non-environment configuration source sets it (tests do).
/// </summary>
internal sealed class EnvironmentKeyProvider(IConfiguration configuration, Func<string, byte[]?>? environmentBytes = null) : IKeyProvider
{
    public const string LiveKey = "BINANCE_API_KEY";
    public const string LiveSecret = "BINANCE_SECRET";
    public const string LivePrivateKeyFile = "BINANCE_PRIVATE_KEY_FILE";
    public const string TestnetKey = "BINANCE_TESTNET_API_KEY";
    public const string TestnetSecret = "BINANCE_TESTNET_SECRET";
    public const string TestnetPrivateKeyFile = "BINANCE_TESTNET_PRIVATE_KEY_FILE";

    public string Name => "env";

    public bool CanChange => false;

    public static (string Key, string Secret, string PrivateKeyFile) VariablesFor(TradingMode mode) => mode == TradingMode.Live
        ? (LiveKey, LiveSecret, LivePrivateKeyFile)
        : (TestnetKey, TestnetSecret, TestnetPrivateKeyFile);

    public string Describe(KeySet set)
    {
        var (key, secret, file) = VariablesFor(set.Mode);
        return $"{key} with {secret} or {file}";
    }

    public Task<KeyMaterial> ReadAsync(KeySet set, CancellationToken cancellationToken)
    {
        if (!set.IsDefault)
        {
            throw new KeyMaterialException($"key set '{set.Name}': the env provider only serves the default key of each mode; use Gateway:Keys:Provider=files or vault for named sets.");
        }

        var (keyName, secretName, fileName) = VariablesFor(set.Mode);
        var apiKey = configuration[keyName];
        var file = configuration[fileName];

        // A value set in configuration (even empty) wins; otherwise the environment's bytes.
        var configured = configuration[secretName];
        var secret = configured is null ? (environmentBytes ?? ProcessEnvironment.ReadBytes)(secretName) : Encoding.UTF8.GetBytes(configured);
        try
        {
            if (string.IsNullOrWhiteSpace(apiKey) || (IsBlank(secret) && string.IsNullOrWhiteSpace(file)))
            {
                var missing = string.IsNullOrWhiteSpace(apiKey) ? keyName : $"{secretName} (or {fileName})";
                throw new KeyMaterialException($"TRADING_MODE={set.Mode.ToConfigValue()} requires {keyName} and {secretName} (or {fileName}); {missing} is not set.");
            }

            if (KeyMaterial.IsPlaceholder(apiKey))
            {
                throw new KeyMaterialException($"{keyName} looks like a placeholder (empty, too short, or an example value); set the real key.");
            }

            KeyMaterial material;
            if (!string.IsNullOrWhiteSpace(file))
            {
                var pem = KeyFiles.ReadSecretFile(file, fileName);
                material = new KeyMaterial(apiKey, pem, isPrivateKeyPem: true, KeyMaterial.ContentVersion(Encoding.UTF8.GetBytes(apiKey), pem));
            }
            else
            {
                if (KeyMaterial.IsPlaceholder(secret.AsSpan().Trim(" \t\r\n"u8)))
                {
                    throw new KeyMaterialException($"{secretName} looks like a placeholder (empty, shorter than 32 characters, or an example value); set the real secret.");
                }

                // The key keeps (and later wipes) its own copy.
                material = new KeyMaterial(apiKey, secret!.ToArray(), isPrivateKeyPem: false, KeyMaterial.ContentVersion(Encoding.UTF8.GetBytes(apiKey), secret!));
            }

            return Task.FromResult(material);
        }
        finally
        {
            if (secret is not null)
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }

    private static bool IsBlank(byte[]? secret) => secret is null || secret.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n');

    /// <summary>A fresh random HMAC key per process for the built-in simulator.</summary>
    public static KeyMaterial GeneratePaperKey()
    {
        var apiKey = "paper-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(29));
        var secret = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        return new KeyMaterial(apiKey, secret, isPrivateKeyPem: false, "generated");
    }
}
