using System.Globalization;
using System.Text.RegularExpressions;
using TradeFinder.PaperExchange.Protocol;

namespace TradeFinder.PaperExchange.Trading;

/// <summary>Typed reads of request parameters, failing with the exchange's codes.</summary>
internal sealed partial class Params(Func<string, string?> get)
{
    public string? this[string name] => get(name);

    public string Required(string name)
    {
        var value = get(name);
        return string.IsNullOrEmpty(value) ? throw ExchangeException.Mandatory(name) : value;
    }

    public decimal? Decimal(string name)
    {
        var value = get(name);
        if (value is null)
        {
            return null;
        }

        if (!DecimalPattern().IsMatch(value) || !decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
        {
            throw new ExchangeException(-1100, $"Illegal characters found in parameter '{name}'; legal range is '^([0-9]{{1,20}})(\\.[0-9]{{1,20}})?$'.");
        }

        return parsed;
    }

    public long? Long(string name)
    {
        var value = get(name);
        if (value is null)
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ExchangeException(-1100, $"Illegal characters found in parameter '{name}'; legal range is '^[0-9]{{1,20}}$'.");
    }

    public bool Bool(string name)
    {
        var value = get(name);
        return value switch
        {
            null => false,
            _ when value.Equals("true", StringComparison.OrdinalIgnoreCase) => true,
            _ when value.Equals("false", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw new ExchangeException(-1130, $"Data sent for parameter '{name}' is not valid."),
        };
    }

    public TEnum? Enum<TEnum>(string name, int code, string message)
        where TEnum : struct, Enum
    {
        var value = get(name);
        if (value is null)
        {
            return null;
        }

        // Ordinal, exact: the exchange's enums are upper case and "buy" is not "BUY".
        foreach (var candidate in System.Enum.GetValues<TEnum>())
        {
            if (candidate.ToString() == value)
            {
                return candidate;
            }
        }

        throw new ExchangeException(code, message);
    }

    public static bool IsValidClientId(string id) => ClientIdPattern().IsMatch(id);

    [GeneratedRegex(@"^[0-9]{1,20}(\.[0-9]{1,20})?$")]
    private static partial Regex DecimalPattern();

    [GeneratedRegex(@"^[\.A-Z\:/a-z0-9_-]{1,36}$")]
    private static partial Regex ClientIdPattern();
}
