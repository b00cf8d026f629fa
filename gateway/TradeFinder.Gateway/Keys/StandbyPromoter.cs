using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Errors;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// When the exchange answers a signed request with -2014 or -2015 ("API-key format invalid", "Invalid API-key, IP,
/// or permissions for action" in the USDⓈ-M Futures error codes), the active key may have been revoked: with
/// <c>Gateway:Keys:Standby</c> on, the set's standby is staged, validated and promoted through the usual rotation
/// path, once at a time per set and at most once a minute, so a standby that is refused too is not retried in a loop.
/// </summary>
internal sealed class StandbyPromoter(KeyRing ring, KeyRotation rotation, TimeProvider time, IOptions<KeysOptions> options, ILogger<StandbyPromoter> logger)
{
    public static readonly TimeSpan Cooldown = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, DateTimeOffset> _lastAttempt = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public static bool RejectsTheKey(int code) => code is ExchangeErrorCodes.BadApiKeyFormat or ExchangeErrorCodes.RejectedMbxKey;

    /// <summary>The promotion started for <paramref name="key"/>'s set, or null when none is due.</summary>
    public Task<RotationResult>? KeyRejected(ExchangeKey key, int code)
    {
        if (!options.Value.Standby || ring.Find(key.Set.Name) is not { } slot || !ReferenceEquals(slot.Active, key))
        {
            return null; // off, or the key was already replaced
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_lastAttempt.TryGetValue(key.Set.Name, out var last) && now - last < Cooldown)
            {
                return null;
            }

            _lastAttempt[key.Set.Name] = now;
        }

        KeysLog.ActiveKeyRejected(logger, key.Set.Name, key.Fingerprint, code);
        return Task.Run(async () =>
        {
            var result = await rotation.RotateAsync(key.Set.Name, $"exchange rejected {key.Fingerprint} ({code})", "gateway", CancellationToken.None, standby: true)
                .ConfigureAwait(false);
            if (!result.Ok)
            {
                KeysLog.StandbyFailed(logger, key.Set.Name, result.Outcome);
            }

            return result;
        });
    }
}
