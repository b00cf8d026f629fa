using System.Diagnostics.CodeAnalysis;

namespace TradeFinder.Contracts.Modes;

/// <summary>Parsing and naming of <see cref="TradingMode"/> as it appears in configuration.</summary>
public static class TradingModes
{
    /// <summary>The environment variable that selects the gateway's highest mode.</summary>
    public const string VariableName = "TRADING_MODE";

    /// <summary>The accepted values, lower case, in ascending order of risk.</summary>
    public static IReadOnlyList<string> AllowedValues { get; } = ["paper", "testnet", "live"];

    /// <summary>
    /// Parses a configured mode. Unset or blank means <see cref="TradingMode.Paper"/>; anything not in
    /// <see cref="AllowedValues"/> (case-insensitive, surrounding spaces ignored) fails.
    /// </summary>
    /// <param name="value">The raw configured value, possibly null.</param>
    /// <param name="mode">The parsed mode when the method returns true.</param>
    /// <returns>True when <paramref name="value"/> names a mode or is unset.</returns>
    public static bool TryParse(string? value, out TradingMode mode)
    {
        mode = TradingMode.Paper;
        if (string.IsNullOrWhiteSpace(value))
        {
            return true;
        }

        switch (value.Trim().ToLowerInvariant())
        {
            case "paper":
                mode = TradingMode.Paper;
                return true;
            case "testnet":
                mode = TradingMode.Testnet;
                return true;
            case "live":
                mode = TradingMode.Live;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The configuration spelling of a mode (<c>paper</c>, <c>testnet</c>, <c>live</c>).</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>The lower-case name.</returns>
    /// <remarks>Literals: the gateway names the mode on every request (log context, cluster, audit, metrics).</remarks>
    [SuppressMessage("Globalization", "CA1308", Justification = "Mode names are lower case by definition.")]
    public static string ToConfigValue(this TradingMode mode) => mode switch
    {
        TradingMode.Paper => "paper",
        TradingMode.Testnet => "testnet",
        TradingMode.Live => "live",
        _ => mode.ToString().ToLowerInvariant(),
    };
}
