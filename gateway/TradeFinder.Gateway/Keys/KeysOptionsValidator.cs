using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Keys;

[OptionsValidator]
internal sealed partial class KeysOptionsValidator : IValidateOptions<KeysOptions>;
