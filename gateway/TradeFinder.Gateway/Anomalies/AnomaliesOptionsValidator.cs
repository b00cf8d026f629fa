using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Anomalies;

[OptionsValidator]
internal sealed partial class AnomaliesOptionsValidator : IValidateOptions<AnomaliesOptions>;

/// <summary>The webhook URL must be https (http only on loopback): alerts carry bot names and evidence.</summary>
internal sealed class AnomaliesOptionsCustomValidator : IValidateOptions<AnomaliesOptions>
{
    public ValidateOptionsResult Validate(string? name, AnomaliesOptions options) =>
        options.WebhookFormat == "pagerduty" && options.PagerDutyRoutingKey is not { Length: > 0 }
            ? ValidateOptionsResult.Fail($"{AnomaliesOptions.Section}:PagerDutyRoutingKey is required with WebhookFormat pagerduty.")
        : options.WebhookUrl is not { Length: > 0 } url
        || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AnomaliesOptions.Section}:WebhookUrl must be an https URL (http only for a receiver on loopback).");
}
