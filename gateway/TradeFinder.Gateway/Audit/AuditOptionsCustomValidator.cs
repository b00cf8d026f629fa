using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Audit;

/// <summary>PostgreSQL needs its connection string.</summary>
internal sealed class AuditOptionsCustomValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        options.Store == AuditStoreKind.Postgres && string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("Gateway:Audit:ConnectionString is required when Gateway:Audit:Store is postgres.")
            : ValidateOptionsResult.Success;
}
