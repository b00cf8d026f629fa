using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Health;

[OptionsValidator]
internal sealed partial class HealthOptionsValidator : IValidateOptions<HealthOptions>;
