using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Anomalies;

[OptionsValidator]
internal sealed partial class AnomaliesOptionsValidator : IValidateOptions<AnomaliesOptions>;

/// <summary>What the attributes cannot say: the webhook URL must be https (http only on loopback: alerts carry bot names and evidence), and the margin levels and pull-backs must make sense.</summary>
internal sealed class AnomaliesOptionsCustomValidator : IValidateOptions<AnomaliesOptions>
{
    public ValidateOptionsResult Validate(string? name, AnomaliesOptions options)
    {
        const string Section = AnomaliesOptions.Section;
        if (options.WebhookFormat == "pagerduty" && options.PagerDutyRoutingKey is not { Length: > 0 })
        {
            return ValidateOptionsResult.Fail($"{Section}:PagerDutyRoutingKey is required with WebhookFormat pagerduty.");
        }

        if (options.WebhookUrl is { Length: > 0 } url
            && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))))
        {
            return ValidateOptionsResult.Fail($"{Section}:WebhookUrl must be an https URL (http only for a receiver on loopback).");
        }

        if (options.MarginRatioWarning > options.MarginRatioCritical)
        {
            return ValidateOptionsResult.Fail($"{Section}:MarginRatioWarning must not be above {Section}:MarginRatioCritical.");
        }

        if (options.BotQuarantine.FirstOrDefault(q => q.Value is not ("reducing" or "halted" or "none")) is { Key: { } wrong })
        {
            return ValidateOptionsResult.Fail($"{Section}:BotQuarantine:{wrong} must be reducing, halted or none.");
        }

        foreach (var (bot, pullBack) in options.PullBack)
        {
            if (pullBack.MarginRatio is < 0.01m or > 0.99m || pullBack.Fraction is < 0.01m or > 1m || pullBack.CooldownSeconds is < 1 or > 86_400)
            {
                return ValidateOptionsResult.Fail($"{Section}:PullBack:{bot} needs MarginRatio 0.01–0.99, Fraction 0.01–1 and CooldownSeconds 1–86400.");
            }
        }

        return ValidateOptionsResult.Success;
    }
}
