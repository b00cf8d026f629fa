using System.ComponentModel;
using System.Globalization;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// Lets a setting that is a choice be an enum while keeping its documented spelling: <c>refuse-in-live</c>
/// binds to <c>RefuseInLive</c> (and so does <c>RefuseInLive</c>). Anything else fails the bind, naming the setting.
/// </summary>
internal sealed class KebabCaseEnumConverter<TEnum> : EnumConverter
    where TEnum : struct, Enum
{
    public KebabCaseEnumConverter()
        : base(typeof(TEnum))
    {
    }

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value)
    {
        if (value is string text && Enum.TryParse<TEnum>(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var parsed)
            && Enum.IsDefined(parsed) && !text.Any(char.IsDigit))
        {
            return parsed;
        }

        throw new FormatException($"'{value}' is not one of: {string.Join(", ", Enum.GetNames<TEnum>().Select(ToKebabCase))}.");
    }

    public static string ToKebabCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
