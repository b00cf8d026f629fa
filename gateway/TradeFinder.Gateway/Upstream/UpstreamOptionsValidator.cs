using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Upstream;

[OptionsValidator]
internal sealed partial class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>;
