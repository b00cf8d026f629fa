using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Rotation without restart: <b>stage</b> (read the set's new material from its source and build the key),
/// <b>validate</b> (restrictions and a signed read with the new key, before any bot request uses it),
/// <b>promote</b> (atomically make it the key new requests resolve; requests already signing finish with the
/// old one), and <b>rollback</b> to the previous key while its window lasts. One rotation at a time; every
/// step is logged and audited with fingerprints only.
/// </summary>
internal sealed class KeyRotation(
    KeyRing ring, IKeyValidator validator, AuditTrail audit, TimeProvider time, IOptions<KeysOptions> options, ILogger<KeyRotation> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A set's key in service changed: (set, <c>rotate</c> / <c>standby</c> / <c>rollback</c>, actor). Replicas follow it.</summary>
    public event Action<string, string, string>? Changed;

    /// <summary>Stage → validate → promote the set's new key from its source (or, with <paramref name="standby"/>, its standby).</summary>
    public async Task<RotationResult> RotateAsync(string setName, string trigger, string actor, CancellationToken cancellationToken, bool standby = false)
    {
        if (ring.Find(setName) is not { } slot)
        {
            return new RotationResult(setName, false, "unknown key set", [new RotationStep("stage", false, $"no key set named '{setName}'")]);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var steps = new List<RotationStep>();
            if (!slot.Provider.CanChange)
            {
                return await FailAsync("stage", $"the {slot.Provider.Name} provider cannot change while the gateway runs; rotate through Gateway:Keys:Provider=files or vault, or restart with the new key").ConfigureAwait(false);
            }

            ExchangeKey staged;
            try
            {
                using var material = await slot.Provider.ReadAsync(standby ? slot.Set.StandbySource : slot.Set, cancellationToken).ConfigureAwait(false);
                if (material.Version == slot.Active.Version)
                {
                    steps.Add(new RotationStep("stage", true, $"source unchanged ({material.Version}); {slot.Active.Fingerprint} stays active"));
                    return new RotationResult(setName, true, "unchanged", steps);
                }

                KeyLoader.Register(material);
                staged = ExchangeKey.Create(slot.Set, material, slot.Active.BoundHost, time.GetUtcNow());
            }
            catch (KeyMaterialException ex)
            {
                return await FailAsync("stage", ex.Message).ConfigureAwait(false);
            }

            await StepAsync("stage", true, $"{staged.Type.ToString().ToLowerInvariant()} key {staged.Fingerprint} from {slot.Provider.Name} ({staged.Version})", staged.Fingerprint).ConfigureAwait(false);

            var validation = await validator.ValidateAsync(staged, cancellationToken).ConfigureAwait(false) with { Fingerprint = staged.Fingerprint };
            slot.LastValidation = validation;
            if (!validation.Ok)
            {
                // An unverified key (exchange unreachable) is tried again on the next check; a refused one is not.
                slot.RejectedVersion = validation.Unverified ? null : staged.Version;
                staged.Retire();
                return await FailAsync("validate", validation.Summary, staged.Fingerprint).ConfigureAwait(false);
            }

            await StepAsync("validate", true, validation.Summary, staged.Fingerprint).ConfigureAwait(false);

            var old = slot.Active;
            var window = TimeSpan.FromMinutes(options.Value.RollbackWindowMinutes);
            if (standby)
            {
                // The key the exchange rejected stays out of service: its source still holds it, and the watcher must not bring it back.
                slot.Promote(staged, time.GetUtcNow(), keepPrevious: false);
                slot.Verified = true;
                slot.RejectedVersion = old.Version;
                await StepAsync("promote", true, $"standby {staged.Fingerprint} signs new requests; {old.Fingerprint} retired (rejected by the exchange)", staged.Fingerprint)
                    .ConfigureAwait(false);
                Changed?.Invoke(setName, "standby", actor);
                return new RotationResult(setName, true, "standby promoted", steps);
            }

            var until = time.GetUtcNow() + window;
            slot.Promote(staged, until, keepPrevious: window > TimeSpan.Zero);
            slot.Verified = true;
            slot.RejectedVersion = null;
            await StepAsync("promote", true, window > TimeSpan.Zero
                ? $"{staged.Fingerprint} signs new requests; {old.Fingerprint} kept for rollback until {until:yyyy-MM-dd HH:mm:ss}Z"
                : $"{staged.Fingerprint} signs new requests; {old.Fingerprint} retired", staged.Fingerprint).ConfigureAwait(false);
            Changed?.Invoke(setName, "rotate", actor);
            return new RotationResult(setName, true, "rotated", steps);

            async Task StepAsync(string step, bool ok, string detail, string fingerprint)
            {
                steps.Add(new RotationStep(step, ok, detail));
                KeysLog.KeyRotationStep(logger, setName, step, ok ? "ok" : "FAILED", fingerprint, trigger, detail);

                // Stage and validate change nothing yet, so their records only queue; the step that ends the rotation
                // (promote, or a failure) waits for the disk, and its sync covers the records queued before it.
                await AuditAsync(setName, step + (ok ? "" : " failed"), fingerprint, trigger, actor, detail, durable: !ok || step == "promote").ConfigureAwait(false);
            }

            async Task<RotationResult> FailAsync(string step, string detail, string fingerprint = "-")
            {
                await StepAsync(step, false, detail, fingerprint).ConfigureAwait(false);
                return new RotationResult(setName, false, step + " failed", steps);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<RotationResult> RollbackAsync(string setName, string actor, CancellationToken cancellationToken)
    {
        if (ring.Find(setName) is not { } slot)
        {
            return new RotationResult(setName, false, "unknown key set", [new RotationStep("rollback", false, $"no key set named '{setName}'")]);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.Previous is not { } previous)
            {
                return await DoneAsync(false, "no previous key: nothing was rotated, or its rollback window has ended", "-").ConfigureAwait(false);
            }

            var validation = await validator.ValidateAsync(previous, cancellationToken).ConfigureAwait(false) with { Fingerprint = previous.Fingerprint };
            slot.LastValidation = validation;
            if (!validation.Ok)
            {
                return await DoneAsync(false, "the previous key no longer passes validation, so the current key stays: " + validation.Summary, previous.Fingerprint).ConfigureAwait(false);
            }

            var replaced = slot.Active;
            slot.RollBack();

            // The source still holds the replaced material; do not let the watcher promote it again until it changes.
            slot.RejectedVersion = replaced.Version;
            var done = await DoneAsync(true, $"{previous.Fingerprint} signs new requests again; {replaced.Fingerprint} retired", previous.Fingerprint).ConfigureAwait(false);
            Changed?.Invoke(setName, "rollback", actor);
            return done;
        }
        finally
        {
            _gate.Release();
        }

        async Task<RotationResult> DoneAsync(bool ok, string detail, string fingerprint)
        {
            KeysLog.KeyRotationStep(logger, setName, "rollback", ok ? "ok" : "FAILED", fingerprint, "admin", detail);
            await AuditAsync(setName, ok ? "rollback" : "rollback failed", fingerprint, "admin", actor, detail).ConfigureAwait(false);
            return new RotationResult(setName, ok, ok ? "rolled back" : "rollback failed", [new RotationStep("rollback", ok, detail)]);
        }
    }

    /// <summary>Validates every active key; at start a refusal stops the gateway before it serves.</summary>
    public async Task<IReadOnlyList<(KeySlot Slot, KeyValidation Validation)>> ValidateActiveAsync(CancellationToken cancellationToken)
    {
        var results = new List<(KeySlot, KeyValidation)>();
        foreach (var slot in ring.Slots)
        {
            var validation = await validator.ValidateAsync(slot.Active, cancellationToken).ConfigureAwait(false) with { Fingerprint = slot.Active.Fingerprint };
            slot.LastValidation = validation;
            await AuditAsync(slot.Set.Name, validation.Ok ? "validated" : "refused", slot.Active.Fingerprint, "start", "gateway", validation.Summary).ConfigureAwait(false);
            results.Add((slot, validation));
        }

        return results;
    }

    /// <summary>
    /// Checks every key in service again (permissions change on the exchange's side too): a key the exchange now
    /// reports with a refused permission is taken out of service at once, logged as an error and audited; it comes
    /// back only when a later check passes.
    /// </summary>
    public async Task RecheckActiveAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in ring.Slots.Where(s => s.Verified))
        {
            var validation = await validator.ValidateAsync(slot.Active, cancellationToken).ConfigureAwait(false) with { Fingerprint = slot.Active.Fingerprint };
            slot.LastValidation = validation;
            if (validation.Ok || validation.Unverified)
            {
                continue;
            }

            slot.Verified = false;
            KeysLog.KeyTakenOutOfService(logger, slot.Set.Name, slot.Active.Fingerprint, validation.Summary);
            await AuditAsync(slot.Set.Name, "taken out of service", slot.Active.Fingerprint, "periodic check", "gateway", validation.Summary).ConfigureAwait(false);
        }
    }

    /// <summary>Checks keys that could not be checked at start; a refused one stays unusable and is reported.</summary>
    public async Task VerifyPendingAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in ring.Slots.Where(s => !s.Verified))
        {
            var validation = await validator.ValidateAsync(slot.Active, cancellationToken).ConfigureAwait(false) with { Fingerprint = slot.Active.Fingerprint };
            slot.LastValidation = validation;
            if (!validation.Unverified)
            {
                slot.Verified = validation.Ok;
                KeysLog.KeyRotationStep(logger, slot.Set.Name, "validate", validation.Ok ? "ok" : "FAILED", slot.Active.Fingerprint, "deferred start check", validation.Summary);
                await AuditAsync(slot.Set.Name, validation.Ok ? "validated" : "refused", slot.Active.Fingerprint, "deferred start check", "gateway", validation.Summary).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Retires previous keys whose rollback window has ended, wiping their secrets.</summary>
    public async Task RetireExpiredAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var slot in ring.Slots)
            {
                if (slot.Previous is { } previous && slot.RollbackUntil <= time.GetUtcNow())
                {
                    slot.RetirePrevious();
                    await AuditAsync(slot.Set.Name, "retired", previous.Fingerprint, "rollback window ended", "gateway", "previous key wiped").ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task AuditAsync(string setName, string outcome, string fingerprint, string trigger, string actor, string detail, bool durable = true)
    {
        var record = new AuditRecord
        {
            OccurredAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            Type = AuditEventTypes.KeyEvent,
            Endpoint = "keys/" + setName,
            Outcome = outcome,
            Details = AuditRecord.SerializeDetails(new Dictionary<string, object?>
            {
                ["fingerprint"] = fingerprint,
                ["trigger"] = trigger,
                ["actor"] = actor,
                ["detail"] = detail,
            }),
        };
        if (durable)
        {
            await audit.WriteDurableAsync(record).ConfigureAwait(false);
        }
        else
        {
            await audit.WriteAsync(record).ConfigureAwait(false);
        }
    }
}
