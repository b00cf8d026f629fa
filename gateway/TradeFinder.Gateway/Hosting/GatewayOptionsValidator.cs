using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Hosting;

[OptionsValidator]
internal sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>;
