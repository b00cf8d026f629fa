using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Cluster;

[OptionsValidator]
internal sealed partial class ClusterOptionsValidator : IValidateOptions<ClusterOptions>;
