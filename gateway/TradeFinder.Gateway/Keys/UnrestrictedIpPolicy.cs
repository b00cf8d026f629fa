using System.ComponentModel;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

/// <summary>What to do with a key the exchange reports without an IP restriction (<c>Gateway:Keys:UnrestrictedIp</c>).</summary>
[TypeConverter(typeof(KebabCaseEnumConverter<UnrestrictedIpPolicy>))]
internal enum UnrestrictedIpPolicy
{
    RefuseInLive,
    Refuse,
    Warn,
}
