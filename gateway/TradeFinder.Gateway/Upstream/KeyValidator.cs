using System.Text.Json;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Logging;
using TradeFinder.Gateway.Signing;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// Checks a key with the exchange before it may sign bot traffic: first its restrictions
/// (<c>GET /sapi/v1/account/apiRestrictions</c>, Binance Wallet "Get API Key Permission") — a key that can withdraw or move funds is
/// refused, one without an IP restriction is refused or warned about per <see cref="KeysOptions.UnrestrictedIp"/>
/// — then a signed read on its own upstream (<c>GET /fapi/v2/balance</c>), which proves the key, its type and
/// the signature path work.
/// </summary>
internal sealed class KeyValidator(
    KeyCheckHosts hosts,
    ExchangeClock clock,
    IHttpClientFactory httpClients,
    IOptions<SigningOptions> signingOptions,
    IOptions<KeysOptions> keysOptions,
    UpstreamBackoff backoff,
    TimeProvider time) : IKeyValidator
{
    public const string HttpClientName = "upstream-keys";

    // Any of these lets a leaked key move money off the account (Binance Wallet "Get API Key Permission").
    private static readonly string[] FundsMovingPermissions = ["enableWithdrawals", "enableInternalTransfer", "permitsUniversalTransfer"];

    // Least privilege: a futures gateway needs futures trading and reading, nothing else (Binance Wallet "Get API Key Permission").
    private static readonly string[] UnneededPermissions =
        ["enableSpotAndMarginTrading", "enableMargin", "enableVanillaOptions", "enablePortfolioMarginTrading", "enableFixApiTrade"];

    public async Task<KeyValidation> ValidateAsync(ExchangeKey key, CancellationToken cancellationToken)
    {
        var warnings = new List<string>();
        var mode = key.Set.Mode;
        if (backoff.Remaining(mode) > TimeSpan.Zero)
        {
            return Unverified($"the {mode.ToConfigValue()} upstream asked the gateway to back off; the key is checked when it lifts");
        }

        try
        {
            if (hosts.Restrictions.GetValueOrDefault(mode) is { } restrictionsHost)
            {
                var (status, json) = await SignedGetAsync(key, restrictionsHost, UsdmPaths.ApiRestrictions, cancellationToken).ConfigureAwait(false);
                if (status != 200)
                {
                    return Fail("key-restrictions check failed: " + Describe(status, json));
                }

                if (RestrictionProblem(json, mode, warnings) is { } problem)
                {
                    return Fail(problem);
                }
            }
            else
            {
                warnings.Add($"the {mode.ToConfigValue()} exchange offers no key-restrictions check; withdrawal and IP permissions were not verified");
            }

            var (balanceStatus, balance) = await SignedGetAsync(key, key.BoundHost, UsdmPaths.BalanceV2, cancellationToken).ConfigureAwait(false);
            if (balanceStatus != 200)
            {
                return Fail("signed test request failed: " + Describe(balanceStatus, balance));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
        {
            return Unverified($"the exchange could not be reached to check the key ({ex.GetType().Name})");
        }

        var ok = warnings.Count == 0 ? "restrictions and a signed read passed" : "passed with warnings: " + string.Join("; ", warnings);
        return new KeyValidation(true, time.GetUtcNow(), ok, warnings);

        KeyValidation Fail(string reason) => new(false, time.GetUtcNow(), reason, warnings);

        KeyValidation Unverified(string reason) => new(false, time.GetUtcNow(), reason, warnings) { Unverified = true };
    }

    private string? RestrictionProblem(JsonElement json, TradingMode mode, List<string> warnings)
    {
        bool Flag(string name) => json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

        var allowed = keysOptions.Value.AllowedPermissions;
        var dangerous = FundsMovingPermissions.Where(Flag).Except(allowed, StringComparer.Ordinal).ToArray();
        if (dangerous.Length > 0)
        {
            return $"the key can move funds ({string.Join(", ", dangerous)}); create a key without withdrawal or transfer permissions";
        }

        var unneeded = UnneededPermissions.Where(Flag).Except(allowed, StringComparer.Ordinal).ToArray();
        if (unneeded.Length > 0)
        {
            return $"the key has permissions a futures gateway does not need ({string.Join(", ", unneeded)}); remove them, or allow each on purpose with Gateway:Keys:AllowedPermissions";
        }

        if (json.TryGetProperty("enableFutures", out var futures) && futures.ValueKind == JsonValueKind.False)
        {
            return "the key has no futures permission (enableFutures=false)";
        }

        if (!Flag("ipRestrict"))
        {
            var policy = keysOptions.Value.UnrestrictedIp;
            if (policy == UnrestrictedIpPolicy.Refuse || (policy == UnrestrictedIpPolicy.RefuseInLive && mode == TradingMode.Live))
            {
                return "the key has no IP restriction (ipRestrict=false); restrict it to the gateway's egress IPs, or set Gateway:Keys:UnrestrictedIp=warn";
            }

            warnings.Add("the key has no IP restriction (ipRestrict=false)");
        }

        return null;
    }

    private async Task<(int Status, JsonElement Json)> SignedGetAsync(ExchangeKey key, Uri host, string path, CancellationToken cancellationToken)
    {
        if (!RequestSigner.TryPrepare("", "", SecurityType.UserData, key, clock.NowMs(key.Set.Mode), signingOptions.Value.RecvWindowMs, out var outgoing))
        {
            throw new HttpRequestException("the key was retired while being checked");
        }

        var target = SigningTransform.Target(host.GetLeftPart(UriPartial.Authority), path, outgoing.Query);
        using var request = new HttpRequestMessage(HttpMethod.Get, target);

        // The restrictions host is the same exchange account's SAPI host, not the bound futures host.
        request.Headers.TryAddWithoutValidation(SigningTransform.ApiKeyHeader, key.ApiKey);
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(body.Length == 0 ? "{}" : body);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            json = default;
        }

        return ((int)response.StatusCode, json);
    }

    private static string Describe(int status, JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("code", out var code) && json.TryGetProperty("msg", out var msg)
            ? Redactor.Redact($"HTTP {status}, {code.GetRawText()} {msg.GetString()}")
            : $"HTTP {status}";
}
