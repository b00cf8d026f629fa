using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Resilience;

[OptionsValidator]
internal sealed partial class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>;
