using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Routing;

[OptionsValidator]
internal sealed partial class RequestOptionsValidator : IValidateOptions<RequestOptions>;
