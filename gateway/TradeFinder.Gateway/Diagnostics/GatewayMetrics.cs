using System.Diagnostics.Metrics;

namespace TradeFinder.Gateway.Diagnostics;

/// <summary>The gateway's meter. Denials are counted per bot and reason for the anomaly detectors.</summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "TradeFinder.Gateway";
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _denials;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _orders;
    private readonly Counter<long> _breakerTransitions;
    private readonly Counter<long> _slowConsumers;
    private readonly Counter<long> _anomalies;
    private readonly Histogram<double> _auditSyncs;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _breakers = new();

    public GatewayMetrics()
    {
        _denials = _meter.CreateCounter<long>("tradefinder.gateway.denials", description: "Requests refused locally, by bot and reason");
        _anomalies = _meter.CreateCounter<long>("tradefinder.gateway.anomalies", description: "Anomalies detected, by kind and severity (one per incident)");
        _decisions = _meter.CreateCounter<long>("tradefinder.gateway.decisions", description: "Bot requests by bot, scope of the endpoint and outcome (forwarded, denied, upstream_error)");
        _orders = _meter.CreateCounter<long>("tradefinder.gateway.orders", description: "Orders forwarded to the exchange, by bot (a batch counts each order)");
        _slowConsumers = _meter.CreateCounter<long>("tradefinder.gateway.userstream.slow_consumers", description: "Bot stream connections cut off for not reading their events");
        _breakerTransitions = _meter.CreateCounter<long>("tradefinder.gateway.breaker.transitions", description: "Circuit breaker state changes, by breaker and new state");
        // Bounds from half a millisecond to seconds: a healthy local disk syncs in well under a millisecond, a stalling one in hundreds.
        _auditSyncs = _meter.CreateHistogram(
            "tradefinder.gateway.audit.sync_duration",
            unit: "s",
            description: "Audit commits that waited for the disk (an order's record among them: its answer waits for it), by how long they took",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _meter.CreateObservableGauge("tradefinder.gateway.breaker.state",
            () => _breakers.Select(b => new Measurement<int>(b.Value, new KeyValuePair<string, object?>("breaker", b.Key))),
            description: "Circuit breaker state per mode/route class: 0 closed, 1 half-open, 2 open");
    }

    public void BreakerChanged(string breaker, string state)
    {
        _breakers[breaker] = state switch { "open" => 2, "half_open" => 1, _ => 0 };
        _breakerTransitions.Add(1, new KeyValuePair<string, object?>("breaker", breaker), new KeyValuePair<string, object?>("state", state));
    }

    /// <summary>Current state per breaker (0 closed, 1 half-open, 2 open), as exported.</summary>
    public IReadOnlyDictionary<string, int> BreakerStates => _breakers;

    /// <summary>The audit writer's health, exported as gauges: 1 while the store takes rows, 1 while spool replay is stopped.</summary>
    public void ObserveAudit(Func<bool> storeAvailable, Func<bool> replayStopped)
    {
        _meter.CreateObservableGauge("tradefinder.gateway.audit.store_available", () => storeAvailable() ? 1 : 0,
            description: "1 while the audit store accepts rows; 0 while events are spooled to the data dir");
        _meter.CreateObservableGauge("tradefinder.gateway.audit.replay_stopped", () => replayStopped() ? 1 : 0,
            description: "1 while spool replay is stopped at a line that is unreadable or breaks the chain (see the error log)");
    }

    /// <summary>This instance's meter: a listener tells its measurements from another instance's by it (tests run side by side).</summary>
    public Meter Meter => _meter;

    /// <summary>One audit commit that waited for the disk: how long the store took.</summary>
    public void AuditSynced(TimeSpan elapsed) => _auditSyncs.Record(elapsed.TotalSeconds);

    /// <summary>Replicas sharing budgets through Redis: whether this one reaches it, and how many it last saw alive.</summary>
    public void ObserveCluster(Func<bool> sharedStoreUp, Func<int> replicas)
    {
        _meter.CreateObservableGauge("tradefinder.gateway.cluster.shared_store_up", () => sharedStoreUp() ? 1 : 0,
            description: "1 while this replica reaches the shared Redis; 0 while it works from its own share of the budget");
        _meter.CreateObservableGauge("tradefinder.gateway.cluster.replicas", replicas,
            description: "Replicas alive at the last heartbeat this replica saw (its share of the budget when Redis is unreachable)");
    }

    /// <summary>The orders the ownership ledger holds in memory: open ones, and closed ones until their keeping time ends.</summary>
    public void ObserveOwnership(Func<int> held) =>
        _meter.CreateObservableGauge("tradefinder.gateway.ownership.orders_held", held,
            description: "Orders the ownership ledger holds in memory (open, and closed ones kept for queries and trade lists)");

    /// <summary>1 on the replica that does the account's singleton duties (always 1 on a single node).</summary>
    public void ObserveLeadership(Func<bool> leading) =>
        _meter.CreateObservableGauge("tradefinder.gateway.cluster.leader", () => leading() ? 1 : 0,
            description: "1 while this replica leads: the position watch and account-wide alerts run on the leader only");

    /// <summary>
    /// The user-data streams per account: bot connections, the age of the account's listen key, reconnects of the
    /// upstream stream, gaps resynced over REST, and lag (now minus the last event's time).
    /// </summary>
    public void ObserveUserStreams(Func<IEnumerable<(string Account, int Subscribers, double KeyAgeSeconds, long Reconnects, long Gaps, double LagMs)>> streams)
    {
        static KeyValuePair<string, object?> Account(string account) => new("account", account);
        _meter.CreateObservableGauge("tradefinder.gateway.userstream.subscribers", () => streams().Select(s => new Measurement<int>(s.Subscribers, Account(s.Account))),
            description: "Bot connections to the account's user-data stream");
        _meter.CreateObservableGauge("tradefinder.gateway.userstream.listenkey_age", () => streams().Select(s => new Measurement<double>(s.KeyAgeSeconds, Account(s.Account))),
            unit: "s", description: "Age of the account's listen key (renewed on expiry; kept alive every 30 minutes)");
        _meter.CreateObservableCounter("tradefinder.gateway.userstream.reconnects", () => streams().Select(s => new Measurement<long>(s.Reconnects, Account(s.Account))),
            description: "Reconnects of the account's upstream user-data stream");
        _meter.CreateObservableCounter("tradefinder.gateway.userstream.gaps", () => streams().Select(s => new Measurement<long>(s.Gaps, Account(s.Account))),
            description: "Gaps in the account's upstream user-data stream, closed by a REST resync");
        _meter.CreateObservableGauge("tradefinder.gateway.userstream.lag", () => streams().Select(s => new Measurement<double>(s.LagMs, Account(s.Account))),
            unit: "ms", description: "Now minus the event time of the last user-data event received");
    }

    /// <summary>
    /// The market streams per mode: upstream connections, streams subscribed upstream, bot subscriptions fanned out,
    /// upstream reconnects, and lag (now minus the event time of a recent message).
    /// </summary>
    public void ObserveMarketStreams(Func<IEnumerable<(string Mode, int Connections, int Streams, int Subscribers, long Reconnects, double LagMs)>> modes)
    {
        static KeyValuePair<string, object?> Mode(string mode) => new("mode", mode);
        _meter.CreateObservableGauge("tradefinder.gateway.marketstream.upstream_connections", () => modes().Select(m => new Measurement<int>(m.Connections, Mode(m.Mode))),
            description: "Upstream market-stream connections");
        _meter.CreateObservableGauge("tradefinder.gateway.marketstream.streams", () => modes().Select(m => new Measurement<int>(m.Streams, Mode(m.Mode))),
            description: "Market streams subscribed upstream (once each, however many bots read them)");
        _meter.CreateObservableGauge("tradefinder.gateway.marketstream.subscribers", () => modes().Select(m => new Measurement<int>(m.Subscribers, Mode(m.Mode))),
            description: "Bot subscriptions served from the upstream streams");
        _meter.CreateObservableCounter("tradefinder.gateway.marketstream.reconnects", () => modes().Select(m => new Measurement<long>(m.Reconnects, Mode(m.Mode))),
            description: "Reconnects of upstream market-stream connections");
        _meter.CreateObservableGauge("tradefinder.gateway.marketstream.lag", () => modes().Select(m => new Measurement<double>(m.LagMs, Mode(m.Mode))),
            unit: "ms", description: "Now minus the event time of a recent upstream market message");
    }

    /// <summary>
    /// Facts an SRE watches, read when scraped: per mode the exchange budget used and its limit in the current windows;
    /// per bot its trading state (0 active, 1 reducing, 2 halted) and seconds since its last request; per key set the
    /// active key's age and whether its last validation passed.
    /// </summary>
    public void ObserveFacts(
        Func<IEnumerable<(string Mode, int Weight, int WeightLimit, int Orders10s, int Orders10sLimit)>> budgets,
        Func<IEnumerable<(string Bot, int State, double? LastSeenSeconds)>> bots,
        Func<IEnumerable<(string Set, double AgeSeconds, bool? LastValidationOk)>> keys,
        Func<IEnumerable<(string Mode, string Bot, int Weight, int WeightQuota, int Orders10s, int OrdersQuota)>> quotas)
    {
        static KeyValuePair<string, object?> Tag(string name, string value) => new(name, value);
        static KeyValuePair<string, object?>[] ModeBot(string mode, string bot) => [Tag("mode", mode), Tag("bot", bot)];
        _meter.CreateObservableGauge("tradefinder.gateway.bot.weight_used", () => quotas().Select(q => new Measurement<int>(q.Weight, ModeBot(q.Mode, q.Bot))),
            description: "Request weight the bot spent of its own quota in the exchange's current minute");
        _meter.CreateObservableGauge("tradefinder.gateway.bot.weight_quota", () => quotas().Select(q => new Measurement<int>(q.WeightQuota, ModeBot(q.Mode, q.Bot))),
            description: "The bot's request weight quota per minute");
        _meter.CreateObservableGauge("tradefinder.gateway.bot.orders_10s_used", () => quotas().Select(q => new Measurement<int>(q.Orders10s, ModeBot(q.Mode, q.Bot))),
            description: "Orders the bot placed in the exchange's current 10-second window");
        _meter.CreateObservableGauge("tradefinder.gateway.bot.orders_10s_quota", () => quotas().Select(q => new Measurement<int>(q.OrdersQuota, ModeBot(q.Mode, q.Bot))),
            description: "The bot's order quota per 10 seconds");
        _meter.CreateObservableGauge("tradefinder.gateway.budget.weight_used", () => budgets().Select(b => new Measurement<int>(b.Weight, Tag("mode", b.Mode))),
            description: "Request weight spent in the exchange's current minute (its own count where it is higher)");
        _meter.CreateObservableGauge("tradefinder.gateway.budget.weight_limit", () => budgets().Select(b => new Measurement<int>(b.WeightLimit, Tag("mode", b.Mode))),
            description: "The exchange's request weight limit per minute");
        _meter.CreateObservableGauge("tradefinder.gateway.budget.orders_10s_used", () => budgets().Select(b => new Measurement<int>(b.Orders10s, Tag("mode", b.Mode))),
            description: "Orders placed in the exchange's current 10-second window");
        _meter.CreateObservableGauge("tradefinder.gateway.budget.orders_10s_limit", () => budgets().Select(b => new Measurement<int>(b.Orders10sLimit, Tag("mode", b.Mode))),
            description: "The exchange's order limit per 10 seconds");
        _meter.CreateObservableGauge("tradefinder.gateway.bot.trading_state", () => bots().Select(b => new Measurement<int>(b.State, Tag("bot", b.Bot))),
            description: "Trading state per bot: 0 active, 1 reducing, 2 halted (suspended and revoked bots: 2)");
        _meter.CreateObservableGauge("tradefinder.gateway.bot.last_seen_age", () => bots().Where(b => b.LastSeenSeconds is not null).Select(b => new Measurement<double>(b.LastSeenSeconds!.Value, Tag("bot", b.Bot))),
            unit: "s", description: "Seconds since the bot's last authenticated request");
        _meter.CreateObservableGauge("tradefinder.gateway.key.age", () => keys().Select(k => new Measurement<double>(k.AgeSeconds, Tag("set", k.Set))),
            unit: "s", description: "Age of the active exchange key per key set (since it was loaded)");
        _meter.CreateObservableGauge("tradefinder.gateway.key.last_validation_ok", () => keys().Where(k => k.LastValidationOk is not null).Select(k => new Measurement<int>(k.LastValidationOk!.Value ? 1 : 0, Tag("set", k.Set))),
            description: "1 when the key set's last validation with the exchange passed");
    }

    /// <summary>One bot request decided: <paramref name="outcome"/> is forwarded, denied or upstream_error; <paramref name="orders"/> what a forwarded one placed.</summary>
    public void Decided(string bot, string scope, string outcome, int orders)
    {
        _decisions.Add(1, new KeyValuePair<string, object?>("bot", bot), new KeyValuePair<string, object?>("scope", scope), new KeyValuePair<string, object?>("outcome", outcome));
        if (orders > 0 && outcome == "forwarded")
        {
            _orders.Add(orders, new KeyValuePair<string, object?>("bot", bot));
        }
    }

    public void SlowConsumerDropped(string bot) => _slowConsumers.Add(1, new KeyValuePair<string, object?>("bot", bot));

    public void Denied(string bot, string reason)
    {
        _denials.Add(1, new KeyValuePair<string, object?>("bot", bot), new KeyValuePair<string, object?>("reason", reason));
        DenialRecorded?.Invoke(bot, reason);
    }

    /// <summary>Every local refusal, for the anomaly detectors (which sit above this layer).</summary>
    public event Action<string, string>? DenialRecorded;

    /// <summary>An order the exchange accepted, opening or adding risk (bot, symbol, quantity), for the anomaly detectors.</summary>
    public event Action<string, string, decimal>? OrderAccepted;

    /// <summary>A leverage, margin-type or position-mode change the exchange accepted (bot, what, symbol, value), for the anomaly detectors.</summary>
    public event Action<string, string, string?, string?>? AccountSettingChanged;

    /// <summary>A request refused at authentication (unknown, suspended or revoked certificate): the source and why, for the anomaly detectors.</summary>
    public event Action<string, string>? AuthenticationRefused;

    public void RefusedAuthentication(string source, string reason) => AuthenticationRefused?.Invoke(source, reason);

    public void Accepted(string bot, string symbol, decimal quantity) => OrderAccepted?.Invoke(bot, symbol, quantity);

    public void SettingChanged(string bot, string what, string? symbol, string? value) => AccountSettingChanged?.Invoke(bot, what, symbol, value);

    public void AnomalyDetected(string kind, string severity) =>
        _anomalies.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("severity", severity));

    public void Dispose() => _meter.Dispose();
}
