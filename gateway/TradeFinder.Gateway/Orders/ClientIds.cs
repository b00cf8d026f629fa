using System.Security.Cryptography;
using System.Text;

namespace TradeFinder.Gateway.Orders;

/// <summary>
/// The client ids the exchange sees bind every order to the bot that placed it: <c>t</c> + a 6-character tag
/// derived from the bot's name, then <c>.</c> and the bot's own id (so the owner can be read back from the
/// exchange's own order lists, even after a restart), or <c>:</c> and a random id the ledger maps back to a bot
/// id too long to fit. The exchange allows 36 characters of <c>[.A-Z:/a-z0-9_-]</c> (Binance USDⓈ-M Futures
/// "New Order (TRADE)", newClientOrderId).
/// </summary>
internal static class ClientIds
{
    public const int ExchangeMaxLength = 36;
    private const int TagLength = 7; // "t" + 6 base-32 characters
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>Longest bot id that is carried directly behind the tag.</summary>
    public const int MaxDirectLength = ExchangeMaxLength - TagLength - 1;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Tags = new(StringComparer.Ordinal);

    /// <summary>The bot's tag (computed once per name: there are as many as registered bots).</summary>
    public static string Tag(string bot) => Tags.GetOrAdd(bot, ComputeTag);

    private static string ComputeTag(string bot)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(bot));
        var tag = new StringBuilder("t", TagLength);
        var bits = ((ulong)hash[0] << 32) | ((ulong)hash[1] << 24) | ((ulong)hash[2] << 16) | ((ulong)hash[3] << 8) | hash[4];
        for (var i = 0; i < TagLength - 1; i++)
        {
            tag.Append(Base32[(int)((bits >> (35 - (5 * i))) & 31)]);
        }

        return tag.ToString();
    }

    /// <summary>A fresh id for an order the bot sent without one (the bot gets it back as its own).</summary>
    public static string NewBotId() => "tf-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>The exchange id carrying <paramref name="botId"/> directly, or null when it is too long and must be mapped.</summary>
    public static string? Direct(string tag, string botId) => botId.Length <= MaxDirectLength ? tag + "." + botId : null;

    /// <summary>Whether <paramref name="exchangeId"/> is what <see cref="Direct"/> makes of the tag and bot id (without making it).</summary>
    public static bool Carries(string tag, string botId, string exchangeId) =>
        botId.Length <= MaxDirectLength && exchangeId.Length == tag.Length + 1 + botId.Length
        && exchangeId.StartsWith(tag, StringComparison.Ordinal) && exchangeId[tag.Length] == '.' && exchangeId.AsSpan(tag.Length + 1).SequenceEqual(botId);

    /// <summary>The bot id an exchange id carries (one that <see cref="Carries"/> says does).</summary>
    public static string Carried(string exchangeId) => exchangeId[(TagLength + 1)..];

    /// <summary>A random exchange id for a bot id too long to carry; the ledger keeps the pair.</summary>
    public static string Mapped(string tag) => tag + ":" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(14));

    /// <summary>Splits an exchange id into its owner tag and the rest; false for ids no bot placed through the gateway.</summary>
    public static bool TryParse(string? exchangeId, out string tag, out bool mapped, out string rest)
    {
        tag = rest = "";
        mapped = false;
        if (exchangeId is null || exchangeId.Length <= TagLength || exchangeId[0] != 't' || exchangeId[TagLength] is not ('.' or ':'))
        {
            return false;
        }

        for (var i = 1; i < TagLength; i++)
        {
            if (!Base32.Contains(exchangeId[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        tag = exchangeId[..TagLength];
        mapped = exchangeId[TagLength] == ':';
        rest = exchangeId[(TagLength + 1)..];
        return true;
    }
}
