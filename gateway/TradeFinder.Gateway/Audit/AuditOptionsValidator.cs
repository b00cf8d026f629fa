using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Audit;

[OptionsValidator]
internal sealed partial class AuditOptionsValidator : IValidateOptions<AuditOptions>;
