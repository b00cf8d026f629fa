using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Paper;

[OptionsValidator]
internal sealed partial class PaperOptionsValidator : IValidateOptions<PaperOptions>;
