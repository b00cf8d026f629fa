using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Streams;

[OptionsValidator]
internal sealed partial class StreamsOptionsValidator : IValidateOptions<StreamsOptions>;
