using System.ComponentModel;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Audit;

/// <summary>Where the audit trail is kept (<c>Gateway:Audit:Store</c>).</summary>
[TypeConverter(typeof(KebabCaseEnumConverter<AuditStoreKind>))]
internal enum AuditStoreKind
{
    /// <summary>SQLite in the data dir: the zero-config default.</summary>
    Sqlite,

    Postgres,
}
