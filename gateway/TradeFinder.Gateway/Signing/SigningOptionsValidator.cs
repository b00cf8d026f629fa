using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Signing;

[OptionsValidator]
internal sealed partial class SigningOptionsValidator : IValidateOptions<SigningOptions>;
