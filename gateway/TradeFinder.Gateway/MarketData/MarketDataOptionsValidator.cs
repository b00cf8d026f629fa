using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.MarketData;

[OptionsValidator]
internal sealed partial class MarketDataOptionsValidator : IValidateOptions<MarketDataOptions>;
