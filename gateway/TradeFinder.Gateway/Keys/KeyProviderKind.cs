using System.ComponentModel;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

/// <summary>Where exchange keys come from (<c>Gateway:Keys:Provider</c>).</summary>
[TypeConverter(typeof(KebabCaseEnumConverter<KeyProviderKind>))]
internal enum KeyProviderKind
{
    /// <summary>Environment variables (<c>BINANCE_API_KEY</c>/<c>BINANCE_SECRET</c> and the testnet pair).</summary>
    Env,

    /// <summary>Secret files: Docker/Kubernetes secrets, Vault Agent.</summary>
    Files,

    /// <summary>Vault (or OpenBao) KV v2 over HTTP.</summary>
    Vault,
}
