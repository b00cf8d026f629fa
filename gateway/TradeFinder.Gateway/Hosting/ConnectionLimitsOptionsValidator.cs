using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Hosting;

[OptionsValidator]
internal sealed partial class ConnectionLimitsOptionsValidator : IValidateOptions<ConnectionLimitsOptions>;
