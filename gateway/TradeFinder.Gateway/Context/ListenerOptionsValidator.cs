using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Context;

[OptionsValidator]
internal sealed partial class ListenerOptionsValidator : IValidateOptions<ListenerOptions>;
