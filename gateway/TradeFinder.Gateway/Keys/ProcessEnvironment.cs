using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Exchange secrets from the environment as bytes: the configuration never holds them (its environment source leaves
/// them out), and on Linux they are read from <c>/proc/self/environ</c> straight into a byte array the key keeps and
/// wipes, without a managed string in between. Elsewhere the runtime's own string is the source (documented).
/// </summary>
internal static class ProcessEnvironment
{
    /// <summary>Variables never copied into the configuration.</summary>
    public static readonly IReadOnlySet<string> Secrets = new HashSet<string>(
        [EnvironmentKeyProvider.LiveSecret, EnvironmentKeyProvider.TestnetSecret], StringComparer.OrdinalIgnoreCase);

    private const string EnvironFile = "/proc/self/environ";

    /// <summary>The variable's value as the process was started with it, or null when it is not set.</summary>
    public static byte[]? ReadBytes(string name)
    {
        if (!File.Exists(EnvironFile))
        {
            return Environment.GetEnvironmentVariable(name) is { } value ? Encoding.UTF8.GetBytes(value) : null;
        }

        var environ = File.ReadAllBytes(EnvironFile);
        try
        {
            return Find(environ, name);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(environ);
        }
    }

    /// <summary>The value of <paramref name="name"/> in a NUL-separated <c>NAME=value</c> block.</summary>
    public static byte[]? Find(ReadOnlySpan<byte> environ, string name)
    {
        Span<byte> prefix = stackalloc byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, prefix);
        prefix[^1] = (byte)'=';
        while (!environ.IsEmpty)
        {
            var end = environ.IndexOf((byte)0);
            var entry = end < 0 ? environ : environ[..end];
            if (entry.StartsWith(prefix))
            {
                return entry[prefix.Length..].ToArray();
            }

            environ = end < 0 ? [] : environ[(end + 1)..];
        }

        return null;
    }

    /// <summary>Replaces the configuration's unprefixed environment source with one that leaves the secrets out.</summary>
    public static void KeepSecretsOutOf(IConfigurationBuilder configuration)
    {
        for (var i = 0; i < configuration.Sources.Count; i++)
        {
            if (configuration.Sources[i] is EnvironmentVariablesConfigurationSource { Prefix: null or "" })
            {
                configuration.Sources[i] = new WithoutSecretsSource();
            }
        }
    }

    private sealed class WithoutSecretsSource : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => new WithoutSecretsProvider();
    }

    private sealed class WithoutSecretsProvider : EnvironmentVariablesConfigurationProvider
    {
        public override void Load()
        {
            base.Load();
            foreach (var name in Secrets)
            {
                Data.Remove(name);
            }
        }
    }
}
