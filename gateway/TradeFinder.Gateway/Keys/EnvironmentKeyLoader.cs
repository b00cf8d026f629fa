using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Hosting;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Reads exchange keys from the environment for the modes the gateway serves. The live key is only read in
/// live mode and the testnet key only in testnet mode, so neither can reach the other's host. Paper mode
/// gets a fresh random key per process, shared only with the hosted simulator.
/// </summary>
internal static class EnvironmentKeyLoader
{
    public const string LiveKey = "BINANCE_API_KEY";
    public const string LiveSecret = "BINANCE_SECRET";
    public const string TestnetKey = "BINANCE_TESTNET_API_KEY";
    public const string TestnetSecret = "BINANCE_TESTNET_SECRET";
    private const int MinimumLength = 32;

    // Fragments that only ever appear in example values; real keys are random alphanumerics.
    private static readonly string[] PlaceholderFragments = ["xxx", "your_", "your-", "changeme", "change_me", "placeholder", "<", ">", "..."];

    public static CredentialStore Load(IConfiguration configuration, TradingMode gatewayMode, ICollection<string> warnings)
    {
        var credentials = new Dictionary<TradingMode, ExchangeCredential>
        {
            [TradingMode.Paper] = CreatePaperCredential(),
        };

        switch (gatewayMode)
        {
            case TradingMode.Live:
                credentials[TradingMode.Live] = Required(configuration, TradingMode.Live, LiveKey, LiveSecret);
                if (IsSet(configuration, TestnetKey) || IsSet(configuration, TestnetSecret))
                {
                    warnings.Add($"{TestnetKey}/{TestnetSecret} are set but ignored: TRADING_MODE=live uses only the production key.");
                }

                break;
            case TradingMode.Testnet:
                credentials[TradingMode.Testnet] = Required(configuration, TradingMode.Testnet, TestnetKey, TestnetSecret);
                if (IsSet(configuration, LiveKey) || IsSet(configuration, LiveSecret))
                {
                    warnings.Add($"{LiveKey}/{LiveSecret} are set but ignored: TRADING_MODE=testnet never uses the production key.");
                }

                break;
            default:
                if (IsSet(configuration, LiveKey) || IsSet(configuration, TestnetKey))
                {
                    warnings.Add("Exchange keys are set in the environment but ignored: TRADING_MODE=paper trades only against the built-in simulator.");
                }

                break;
        }

        return new CredentialStore(credentials);
    }

    /// <summary>True when the value is empty, too short, a template fragment, or one repeated character.</summary>
    public static bool IsPlaceholder(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Length < MinimumLength)
        {
            return true;
        }

        var trimmed = value.Trim();
        return PlaceholderFragments.Any(p => trimmed.Contains(p, StringComparison.OrdinalIgnoreCase))
            || trimmed.Distinct().Count() <= 2;
    }

    private static ExchangeCredential Required(IConfiguration configuration, TradingMode mode, string keyName, string secretName)
    {
        var key = configuration[keyName];
        var secret = configuration[secretName];
        foreach (var (name, value) in new[] { (keyName, key), (secretName, secret) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new GatewayStartupException(
                    $"TRADING_MODE={mode.ToConfigValue()} requires {keyName} and {secretName}; {name} is not set.");
            }

            if (IsPlaceholder(value))
            {
                throw new GatewayStartupException(
                    $"{name} looks like a placeholder (empty, shorter than {MinimumLength} characters, or an example value); set the real key.");
            }
        }

        return new ExchangeCredential(mode, key!.Trim(), Encoding.UTF8.GetBytes(secret!.Trim()));
    }

    private static bool IsSet(IConfiguration configuration, string name) => !string.IsNullOrWhiteSpace(configuration[name]);

    private static ExchangeCredential CreatePaperCredential()
    {
        var key = "paper-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(29));
        var secret = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        return new ExchangeCredential(TradingMode.Paper, key, secret);
    }
}
