using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Tests.Identity;

public sealed class RefusalThrottleTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void AFewRefusalsASecondAreAnswered_TheRestOnlyCounted_IntoTheNextAnsweredOne()
    {
        var throttle = new RefusalThrottle(_time);

        var first = Enumerable.Range(0, 1_000).Select(_ => throttle.Check("revoked")).ToArray();
        _time.Advance(RefusalThrottle.Window);
        var next = throttle.Check("revoked");

        Assert.Equal(RefusalThrottle.AnsweredPerWindow, first.Count(c => c.Answer));
        Assert.All(first, c => Assert.Equal(0, c.SuppressedBefore));
        Assert.Equal((true, 1_000 - RefusalThrottle.AnsweredPerWindow), next);
    }

    [Fact]
    public void EachCertificate_HasItsOwnAllowance()
    {
        var throttle = new RefusalThrottle(_time);
        for (var i = 0; i < 100; i++)
        {
            throttle.Check("flooding");
        }

        Assert.True(throttle.Check("other").Answer);
    }

    [Fact]
    public void ManyDistinctCertificates_ShareOneAllowance_OnceTheTableIsFull()
    {
        var throttle = new RefusalThrottle(_time);

        var answered = Enumerable.Range(0, 20_000).Count(i => throttle.Check("cert-" + i).Answer);

        // 4,096 tracked certificates answer once each; every further one shares the overflow allowance.
        Assert.Equal(4_096 + RefusalThrottle.AnsweredPerWindow, answered);
    }
}
