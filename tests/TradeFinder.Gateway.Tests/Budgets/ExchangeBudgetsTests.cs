using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.Gateway.Tests.Budgets;

public sealed class ExchangeBudgetsTests
{
    private const TradingMode Live = TradingMode.Live;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 10, TimeSpan.Zero));

    // 1000 weight, 100 orders / 10 s, 1000 / min; 10% margin → 900 usable; reserve 10% → 810 for orders.
    private ExchangeBudgets Budgets(BudgetOptions? options = null)
    {
        var budgets = new ExchangeBudgets(Options.Create(options ?? new BudgetOptions { PerBotWeightPerMinute = 100_000, PerBotOrdersPer10Seconds = 100_000 }), new ExchangeClock(_time));
        budgets.SetLimits(Live, new ExchangeLimits(1000, 100, 1000));
        return budgets;
    }

    private static int Spend(ExchangeBudgets budgets, RequestPriority priority, int weight, string? bot = null, int orders = 0)
    {
        var spent = 0;
        while (budgets.TryCharge(Live, bot, priority, weight, orders).Allowed)
        {
            spent += weight;
        }

        return spent;
    }

    [Fact]
    public void CancelReserve_IsSharedFairlyAmongBots_SoOneBotsFloodLeavesOthersRoom()
    {
        var budgets = Budgets();
        Assert.True(budgets.TryCharge(Live, "beta", RequestPriority.Account, 0, 0).Allowed); // beta uses this upstream too
        Assert.Equal(810, Spend(budgets, RequestPriority.NewOrder, 10, bot: "gamma")); // everything up to the reserve (90)

        // Alpha floods cancels: it gets its share of the 90-weight reserve (a third among three bots), not all of it.
        Assert.Equal(30, Spend(budgets, RequestPriority.RiskReducing, 1, bot: "alpha"));
        Assert.Equal(30, Spend(budgets, RequestPriority.RiskReducing, 1, bot: "beta"));
        Assert.True(budgets.TryCharge(Live, "gamma", RequestPriority.RiskReducing, 1, 0).Allowed);
    }

    [Fact]
    public void AnExemptRequestTheExchangeRejected_IsChargedToTheBotAfterwards()
    {
        var budgets = Budgets(new BudgetOptions { PerBotOrdersPer10Seconds = 2 });
        budgets.ChargeBot(Live, "alpha", 1, 2);

        Assert.False(budgets.TryCharge(Live, "alpha", RequestPriority.NewOrder, 1, 1).Allowed);
        Assert.True(budgets.TryCharge(Live, "beta", RequestPriority.NewOrder, 1, 1).Allowed);
    }

    [Fact]
    public void Priorities_StopAtTheirCeilings_AndOnlyRiskReducingReachesTheReserve()
    {
        var budgets = Budgets();

        Assert.Equal(630, Spend(budgets, RequestPriority.MarketData, 10)); // 70% of 900
        Assert.Equal(90, Spend(budgets, RequestPriority.Account, 10));     // up to 80% of 900
        Assert.Equal(90, Spend(budgets, RequestPriority.NewOrder, 10));    // up to 90% of 900
        Assert.Equal(90, Spend(budgets, RequestPriority.RiskReducing, 10)); // the reserve, up to 900
        Assert.Equal(900, budgets.Usage(Live).Weight);
    }

    [Fact]
    public void Refusal_SaysWhyAndWhenTheWindowRollsOver()
    {
        var budgets = Budgets();
        Spend(budgets, RequestPriority.MarketData, 10);

        var refused = budgets.TryCharge(Live, null, RequestPriority.MarketData, 10, 0);

        Assert.False(refused.Allowed);
        Assert.Contains("request weight", refused.Reason);
        Assert.InRange(refused.RetryAfter.TotalSeconds, 50, 51); // 10 s into the minute, plus the guard
    }

    [Fact]
    public void WindowRollover_RestoresTheBudget()
    {
        var budgets = Budgets();
        Spend(budgets, RequestPriority.NewOrder, 10);

        _time.Advance(TimeSpan.FromSeconds(51));

        Assert.True(budgets.TryCharge(Live, null, RequestPriority.NewOrder, 10, 0).Allowed);
    }

    [Fact]
    public void AClockCorrectionBackIntoTheLastMinute_DoesNotHandThisMinutesWeightOutAgain()
    {
        _time.Advance(TimeSpan.FromMilliseconds(50_600)); // 100 ms into the next minute, after the guard
        var clock = new ExchangeClock(_time);
        var budgets = new ExchangeBudgets(Options.Create(new BudgetOptions { PerBotWeightPerMinute = 100_000, PerBotOrdersPer10Seconds = 100_000 }), clock);
        budgets.SetLimits(Live, new ExchangeLimits(1000, 100, 1000));
        Assert.Equal(900, Spend(budgets, RequestPriority.RiskReducing, 10));

        // Clock sync finds the exchange 200 ms behind what we thought, then ahead again: the minute's count stays.
        clock.SetOffset(Live, -200);
        Assert.False(budgets.TryCharge(Live, null, RequestPriority.RiskReducing, 10, 0).Allowed);
        clock.SetOffset(Live, 0);
        Assert.False(budgets.TryCharge(Live, null, RequestPriority.RiskReducing, 10, 0).Allowed);
        Assert.Equal(900, budgets.Usage(Live).Weight);
    }

    [Fact]
    public void AClockCorrectionBackIntoTheLastMinute_DoesNotRefillABotsQuota()
    {
        _time.Advance(TimeSpan.FromMilliseconds(50_600));
        var clock = new ExchangeClock(_time);
        var budgets = new ExchangeBudgets(Options.Create(new BudgetOptions { PerBotWeightPerMinute = 50, PerBotOrdersPer10Seconds = 5 }), clock);
        budgets.SetLimits(Live, new ExchangeLimits(1000, 100, 1000));
        Assert.Equal(50, Spend(budgets, RequestPriority.Account, 5, "greedy"));

        clock.SetOffset(Live, -200);
        Assert.Contains("bot 'greedy' has used its request weight quota", budgets.TryCharge(Live, "greedy", RequestPriority.Account, 5, 0).Reason);
        clock.SetOffset(Live, 0);
        Assert.Contains("bot 'greedy' has used its request weight quota", budgets.TryCharge(Live, "greedy", RequestPriority.Account, 5, 0).Reason);
    }

    [Fact]
    public void OrderCount_KeepsAReserveForReduceOnlyOrders()
    {
        var budgets = Budgets();

        Assert.Equal(81, Spend(budgets, RequestPriority.NewOrder, 1, orders: 1) ); // 90% of 90 usable orders per 10 s
        Assert.True(budgets.TryCharge(Live, null, RequestPriority.RiskReducing, 1, 1).Allowed);
    }

    [Fact]
    public void PerBotQuota_StopsOneBot_NotTheOthers_AndNeverItsCancels()
    {
        var budgets = Budgets(new BudgetOptions { PerBotWeightPerMinute = 50, PerBotOrdersPer10Seconds = 5 });

        Assert.Equal(50, Spend(budgets, RequestPriority.Account, 5, "greedy"));
        Assert.True(budgets.TryCharge(Live, "other", RequestPriority.Account, 5, 0).Allowed);
        Assert.True(budgets.TryCharge(Live, "greedy", RequestPriority.RiskReducing, 1, 0).Allowed);
        var refused = budgets.TryCharge(Live, "greedy", RequestPriority.Account, 5, 0);
        Assert.Contains("bot 'greedy'", refused.Reason);
    }

    [Fact]
    public void DefaultPerBotQuota_IsAQuarterOfTheUsableBudget()
    {
        var budgets = Budgets(new BudgetOptions());

        Assert.Equal(225, Spend(budgets, RequestPriority.Account, 5, "bot"));
    }

    [Fact]
    public void ExchangeHeaders_RaiseTheCount_ButNeverLowerIt()
    {
        var budgets = Budgets();
        budgets.TryCharge(Live, null, RequestPriority.Account, 100, 0);

        using (var answer = ExchangeAnswers.WithHeaders(("X-MBX-USED-WEIGHT-1M", "700"), ("X-MBX-ORDER-COUNT-10S", "40")))
        {
            budgets.Observe(Live, answer.Headers);
        }

        Assert.Equal(700, budgets.Usage(Live).Weight);
        Assert.Equal(40, budgets.Usage(Live).Orders10Seconds);

        using var lower = ExchangeAnswers.WithHeaders(("X-MBX-USED-WEIGHT-1M", "3"));
        budgets.Observe(Live, lower.Headers);
        Assert.Equal(700, budgets.Usage(Live).Weight);
    }

    [Fact]
    public void Limits_AreReadFromExchangeInfo()
    {
        using var info = JsonDocument.Parse(JsonSerializer.Serialize(ExchangeInfoDocument.Build(0, new PaperExchange.Limits.RateLimitSettings { WeightPerMinute = 1234, OrdersPer10Seconds = 56, OrdersPerMinute = 789 })));

        Assert.Equal(new ExchangeLimits(1234, 56, 789), ExchangeLimits.Parse(info.RootElement));
    }
}
