using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Keys;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Keys;

/// <summary>A key that gains a refused permission on the exchange's side is taken out of service at the next check.</summary>
public sealed class KeyRecheckTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tf-recheck");

    public void Dispose() => TempDirectory.Delete(_dir);

    [Fact]
    public async Task KeyThatNowFailsItsCheck_StopsSigning_IsAudited_AndComesBackWhenItPassesAgain()
    {
        var slot = KeyFactory.Slot(TestKey.Hmac());
        using var ring = new KeyRing([slot]);
        var exchange = new ScriptedKeyValidator();
        var trail = new AuditTrail(1_000, new AuditSpool(Path.Combine(_dir, "spool.jsonl"), new AuditChainKey(new byte[32])));
        using var rotation = new KeyRotation(ring, exchange, trail, TimeProvider.System, Options.Create(new KeysOptions()), NullLogger<KeyRotation>.Instance);

        exchange.Next = new KeyValidation(true, DateTimeOffset.UnixEpoch, "passed", []);
        await rotation.RecheckActiveAsync(CancellationToken.None);
        Assert.True(slot.Verified);
        Assert.NotNull(ring.Resolve(TradingMode.Testnet, KeyPurpose.Trade, null));

        exchange.Next = new KeyValidation(false, DateTimeOffset.UnixEpoch, "the key has permissions a futures gateway does not need (enableSpotAndMarginTrading)", []);
        var recheck = rotation.RecheckActiveAsync(CancellationToken.None);
        Assert.True(trail.Reader.TryRead(out var pending) || await trail.Reader.WaitToReadAsync() && trail.Reader.TryRead(out pending));
        pending!.Done?.TrySetResult();
        await recheck;

        Assert.False(slot.Verified);
        Assert.Equal("taken out of service", pending.Record.Outcome);
        Assert.Contains("enableSpotAndMarginTrading", pending.Record.Details);

        exchange.Next = new KeyValidation(true, DateTimeOffset.UnixEpoch, "passed", []);
        var pendingCheck = rotation.VerifyPendingAsync(CancellationToken.None);
        while (!pendingCheck.IsCompleted)
        {
            if (trail.Reader.TryRead(out var next))
            {
                next.Done?.TrySetResult();
            }

            await Task.Yield();
        }

        await pendingCheck;
        Assert.True(slot.Verified);
    }
}
