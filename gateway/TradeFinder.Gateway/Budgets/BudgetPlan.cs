namespace TradeFinder.Gateway.Budgets;

/// <summary>How a request is charged to the bot, beside the shared budget.</summary>
internal enum BotCharge
{
    /// <summary>Not a bot's request, or only the bot's local rate applies.</summary>
    None,

    /// <summary>The bot's own weight and order quota.</summary>
    Quota,

    /// <summary>A risk-reducing request: exempt from the quota, but held to the bot's fair share once it reaches into the cancel reserve.</summary>
    Reserve,
}

/// <summary>
/// One decision's numbers, worked out from the exchange's limits, the priority and the options, so the same check
/// and charge can run on this process's counters or atomically in Redis for all replicas.
/// </summary>
internal readonly record struct BudgetPlan(
    string? Bot,
    int Weight,
    int Orders,
    bool ChargeGlobal,
    BotCharge BotCharge,
    int WeightCeiling,
    int Orders10sCeiling,
    int Orders1mCeiling,
    int BotWeightQuota,
    int BotOrderQuota,
    int NormalWeight,
    int Normal10s,
    int ReserveWeight,
    int Reserve10s);

/// <summary>Which check refused a charge (or none).</summary>
internal enum ChargeOutcome
{
    Allowed = 0,
    Weight = 1,
    Orders10s = 2,
    Orders1m = 3,
    ReserveShare = 4,
    BotWeight = 5,
    BotOrders = 6,
}

/// <summary>
/// A charge's outcome with the shared counts it saw (after charging, when allowed) and, for a bot refusal, the bot's
/// counts and their limits.
/// </summary>
internal readonly record struct ChargeResult(ChargeOutcome Outcome, int Weight, int Orders10s, int Orders1m, int Used = 0, int Limit = 0, int Used2 = 0, int Limit2 = 0);
