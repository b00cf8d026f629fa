using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// What a key is for. Reads (account, user stream, keyed market data) use a read key when one exists, so a
/// read-only bot never causes the trading key to be used; orders only ever use a trading key.
/// </summary>
[System.ComponentModel.TypeConverter(typeof(KebabCaseEnumConverter<KeyPurpose>))]
internal enum KeyPurpose
{
    Read,
    Trade,
}
