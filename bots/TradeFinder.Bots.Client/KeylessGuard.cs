using System.Collections;
using System.Text.RegularExpressions;

namespace TradeFinder.Bots.Client;

/// <summary>
/// Bots hold no exchange keys. A bot process whose environment carries exchange key variables refuses to
/// start, naming the variables (never their values), so a key copied into a bot's <c>.env</c> is noticed
/// before it can leak from there.
/// </summary>
public static partial class KeylessGuard
{
    /// <summary>Exchange key variables found (set and non-empty) in <paramref name="environment"/>.</summary>
    /// <param name="environment">Variables, e.g. <see cref="Environment.GetEnvironmentVariables()"/>.</param>
    /// <returns>Their names, sorted.</returns>
    public static IReadOnlyList<string> FindKeyVariables(IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.Keys.OfType<string>()
            .Where(name => KeyVariable().IsMatch(name) && !string.IsNullOrWhiteSpace(environment[name] as string))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Throws when exchange key variables are present.</summary>
    /// <param name="environment">Variables to check; the process environment when null.</param>
    /// <exception cref="InvalidOperationException">Key variables are present; the message names them.</exception>
    public static void EnsureNoExchangeKeys(IDictionary? environment = null)
    {
        var found = FindKeyVariables(environment ?? Environment.GetEnvironmentVariables());
        if (found.Count > 0)
        {
            throw new InvalidOperationException(Message(found));
        }
    }

    /// <summary>The refusal for <paramref name="found"/>: names only.</summary>
    /// <param name="found">Variable names.</param>
    /// <returns>The message.</returns>
    public static string Message(IReadOnlyList<string> found) =>
        $"Exchange key variables are set in this bot's environment: {string.Join(", ", found)}. Bots hold no keys: remove them; the gateway signs every request.";

    // BINANCE_API_KEY, BINANCE_SECRET, BINANCE_TESTNET_*, BINANCE_PRIVATE_KEY_FILE, and the usual client-library names.
    [GeneratedRegex(@"^(BINANCE|BNB|EXCHANGE)_(\w*_)?(API_?KEY|SECRET(_KEY)?|API_SECRET|PRIVATE_KEY(_FILE|_PATH)?)$|^(API_KEY|API_SECRET|SECRET_KEY)$", RegexOptions.IgnoreCase)]
    private static partial Regex KeyVariable();
}
