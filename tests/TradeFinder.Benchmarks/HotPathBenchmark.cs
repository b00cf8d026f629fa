using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Budgets;
using TradeFinder.Gateway.Clock;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Diagnostics;
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Logging;
using TradeFinder.Gateway.Modes;
using TradeFinder.Gateway.Orders;
using TradeFinder.Gateway.Risk;
using TradeFinder.Gateway.Signing;
using TradeFinder.Gateway.Upstream;
using TradeFinder.Gateway.Validation;
using TradeFinder.PaperExchange.Market;

namespace TradeFinder.Benchmarks;

/// <summary>
/// BenchmarkDotNet over the pieces every request runs through, one at a time, with the bytes each allocates
/// (<c>[MemoryDiagnoser]</c>): what the hop harness sees only as a whole. BenchmarkDotNet's own process per run, with
/// workstation non-concurrent GC (with the server GC this project runs under, a gen 2 collection during the counting
/// run zeroed or inflated a step's count); time per call is this machine's, allocation per call is exact.
/// <c>HOT_PATH_FILTER</c> (a glob over method names, e.g. <c>*Sign*</c>) runs some and writes no results.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmark
{
    private const string OrderQuery = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.010&price=65000.1&newClientOrderId=bench-1";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("tf-hotpath-").FullName;
    private DefaultHttpContext _order = null!;
    private GatewayRequest _orderRequest = null!;
    private ExchangeRules _rules = null!;
    private ExchangeKey _hmac = null!;
    private AuditChainKey _chainKey = null!;
    private AuditRecord _record = null!;
    private ExchangeBudgets _budgets = null!;
    private TimeProvider _time = null!;
    private RiskStep _risk = null!;

    [GlobalSetup]
    public void Setup()
    {
        _time = TimeProvider.System;
        _order = new DefaultHttpContext();
        _order.Request.Method = "POST";
        _order.Request.Path = "/fapi/v1/order";
        _order.Request.QueryString = new QueryString("?" + OrderQuery);
        _orderRequest = Read(_order.Request);
        _order.Features.Set(_orderRequest);
        _order.Features.Set(new BotIdentity("bench", TradingMode.Testnet));
        _order.Features.Set(new RequestWeightFeature(0));
        _order.Features.Set(new PlacedOrdersFeature([("BTCUSDT", "tfbench-1", "bench-1")], Algo: false, Batch: false));

        _rules = PaperRules();

        using var material = new KeyMaterial("bench" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), RandomNumberGenerator.GetBytes(48), false, "v1");
        _hmac = ExchangeKey.Create(KeySet.DefaultFor(TradingMode.Testnet), material, new Uri("https://testnet.binancefuture.com/"), DateTimeOffset.UnixEpoch);
        _chainKey = AuditChainKey.LoadOrCreate(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), new GatewayPaths(_dataDir));
        _record = TrafficAuditMiddleware.DescribeSent(_order, _time);
        _budgets = new ExchangeBudgets(Options.Create(new BudgetOptions()), new ExchangeClock(_time));

        // Room for every call of a run, so each is the allowed path a forwarded request takes.
        _budgets.SetLimits(TradingMode.Testnet, new ExchangeLimits(1_000_000_000, 1_000_000_000, 1_000_000_000));
        _risk = new RiskStep(_dataDir, _hmac, _budgets);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _risk.Dispose();
        _hmac.Dispose();
        _chainKey.Dispose();
        Directory.Delete(_dataDir, recursive: true);
    }

    [Benchmark(Description = "endpoint look-up (POST /fapi/v1/order)")]
    public object? FindEndpoint() => UsdmEndpoints.Find("POST", "/fapi/v1/order");

    [Benchmark(Description = "read the parameters of a LIMIT order")]
    public object ReadOrder() => Read(_order.Request);

    [Benchmark(Description = "validate a LIMIT order against exchangeInfo")]
    public object? ValidateOrder() => RequestValidator.Validate("POST", "/fapi/v1/order", _orderRequest, TradingMode.Paper, _rules);

    [Benchmark(Description = "charge the weight and order budgets (one bot)")]
    public bool ChargeBudget() => _budgets.TryCharge(TradingMode.Testnet, "bench", RequestPriority.Account, 1, 0).Allowed;

    [Benchmark(Description = "sign a read without parameters (HMAC)")]
    public string SignRead() => Sign(string.Empty).Query;

    [Benchmark(Description = "sign a LIMIT order (HMAC)")]
    public string SignOrder() => Sign(OrderQuery).Query;

    [Benchmark(Description = "redact a LIMIT order's query")]
    public string RedactOrderQuery() => Redactor.Redact(OrderQuery);

    [Benchmark(Description = "describe an order's sent record (details JSON)")]
    public object DescribeOrder() => TrafficAuditMiddleware.DescribeSent(_order, _time);

    [Benchmark(Description = "chain an audit record (HMAC-SHA256 over its fields)")]
    public object ChainRecord() => AuditChain.Link(_record, 42, AuditChain.Genesis, _chainKey);

    [Benchmark(Description = "risk limits checked and the order reserved (MARKET, default limits, cached look-ups)")]
    public Task CheckRisk() => _risk.RunAsync();

    /// <summary>The results as the other suites write theirs: one row per piece, time and bytes per call.</summary>
    public static IReadOnlyList<string> Run()
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(10).WithGcServer(false).WithGcConcurrent(false))
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddLogger(ConsoleLogger.Default)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "tf-benchmarkdotnet"))
            .WithOptions(ConfigOptions.DisableLogFile);
        if (Environment.GetEnvironmentVariable("HOT_PATH_FILTER") is { Length: > 0 } filter)
        {
            config = config.AddFilter(new GlobFilter([filter]));
        }

        var summary = BenchmarkRunner.Run<HotPathBenchmark>(config);
        var rows = new List<string> { "| step | mean | allocated per call |", "|---|---:|---:|" };
        foreach (var report in summary.Reports)
        {
            var mean = report.ResultStatistics?.Mean;
            // A gen 1 or 2 collection during the counting run has been seen to zero or inflate the count: said, not printed as a figure.
            var allocated = report.GcStats.Gen1Collections + report.GcStats.Gen2Collections == 0 ? report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) : null;
            rows.Add($"| {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'')} | {(mean is { } ns ? Format(ns) : "failed")} | {(allocated is { } bytes ? bytes.ToString("N0", CultureInfo.InvariantCulture) + " B" : "not counted (gen 1/2 collection)")} |");
        }

        return summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success)
            ? throw new InvalidOperationException("A benchmark failed: " + string.Join("; ", summary.ValidationErrors.Select(e => e.Message)))
            : rows;
    }

    private static string Format(double nanoseconds) => nanoseconds >= 1000
        ? (nanoseconds / 1000).ToString("F2", CultureInfo.InvariantCulture) + " µs"
        : nanoseconds.ToString("F0", CultureInfo.InvariantCulture) + " ns";

    /// <summary>The paper exchange's exchangeInfo, as the gateway holds it for paper mode.</summary>
    internal static ExchangeRules PaperRules()
    {
        var rules = new ExchangeRules(new UpstreamDirectory(TradingMode.Paper, new Dictionary<TradingMode, Uri>()), null!, TimeProvider.System, NullLogger<ExchangeRules>.Instance);
        using var info = JsonDocument.Parse(JsonSerializer.Serialize(ExchangeInfoDocument.Build(0)));
        rules.Set(TradingMode.Paper, ExchangeRules.Parse(info.RootElement));
        return rules;
    }

    /// <summary>A request's parameters, read as the pipeline reads them (without a body, without waiting).</summary>
    internal static GatewayRequest Read(HttpRequest request)
    {
        var read = GatewayRequest.ReadAsync(request, 65536, CancellationToken.None);
        return read.IsCompletedSuccessfully ? read.Result : throw new InvalidOperationException("A request without a body is read without waiting.");
    }

    /// <summary>
    /// Step 10 as a MARKET order meets it with a bot's default limits: mark price and the account's leverage from the
    /// look-up cache (filled once from canned exchange answers; the clock stands still, so it never expires), the
    /// order checked and reserved in the ownership ledger, then released as an unsent order is, so every call starts
    /// from the same ledger. Each call includes making the order's draft, as the ownership step does.
    /// </summary>
    private sealed class RiskStep : IDisposable
    {
        private const string MarketQuery = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002";
        private readonly GatewayMetrics _metrics = new();
        private readonly KeyRing _keys;
        private readonly OwnershipLedger _ledger;
        private readonly RiskGuardMiddleware _middleware;
        private readonly DefaultHttpContext _context = new();
        private readonly BotIdentity _bot = new("bench", TradingMode.Testnet) { Limits = RiskLimits.Defaults, Scopes = new HashSet<string> { ScopeNames.Trade } };
        private long _next;

        public RiskStep(string dataDir, ExchangeKey key, ExchangeBudgets budgets)
        {
            var time = new StillClock();
            var paths = new GatewayPaths(dataDir);
            var registry = new BotRegistry(paths);
            var accounts = new SharedAccounts(registry, new BotPolicies(new Dictionary<string, ConfiguredBot>()));
            _keys = new KeyRing([new KeySlot(key.Set, new FileKeyProvider("/nonexistent"), key)]);
            var upstream = new UpstreamQueries(
                new UpstreamDirectory(TradingMode.Testnet, new Dictionary<TradingMode, Uri> { [TradingMode.Testnet] = new("https://testnet.binancefuture.com/") }),
                _keys, new ExchangeClock(time), new CannedExchange(), Options.Create(new SigningOptions()), new UpstreamBackoff(paths, time), budgets);
            _ledger = new OwnershipLedger(time);
            _middleware = new RiskGuardMiddleware(
                context =>
                {
                    context.Response.StatusCode = StatusCodes.Status200OK;
                    return Task.CompletedTask;
                },
                new RiskLookups(upstream, time), _ledger, new OwnCancels(upstream, _ledger, new BotTags(registry)), accounts, _metrics);
            _context.Request.Method = "POST";
            _context.Request.Path = UsdmPaths.Order;
            _context.Request.QueryString = new QueryString("?" + MarketQuery);
            _context.Features.Set(Read(_context.Request));
            _context.Features.Set(_bot);
            _context.Features.Set(new IntentFeature(OrderIntent.Increase));
            _context.Features.Set(UsdmEndpoints.Find("POST", UsdmPaths.Order)!);
        }

        public async Task RunAsync()
        {
            var botId = "bench-" + (++_next).ToString(CultureInfo.InvariantCulture);
            var draft = new OwnedOrder
            {
                Bot = _bot.Name, Account = _bot.Account, Symbol = "BTCUSDT", ClientId = ClientIds.Direct(ClientIds.Tag(_bot.Name), botId)!, BotClientId = botId,
                Side = "BUY", OrigQty = 0.002m,
            };
            _context.Features.Set(new OwnedOrdersFeature([draft]));
            _context.Response.StatusCode = StatusCodes.Status200OK;
            await _middleware.InvokeAsync(_context).ConfigureAwait(false);
            if (draft.State != OwnedOrderState.InFlight)
            {
                throw new InvalidOperationException($"The order was not reserved (status {_context.Response.StatusCode}).");
            }

            _ledger.Release(draft);

            // What the ledger's writer takes off to store: read here, so the queue does not grow through the run.
            while (_ledger.Changes.TryRead(out _))
            {
            }
        }

        public void Dispose()
        {
            _metrics.Dispose();
            _keys.Dispose();
        }

        private sealed class StillClock : TimeProvider
        {
            private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

            public override DateTimeOffset GetUtcNow() => _now;
        }

        /// <summary>The exchange's answers to the risk step's two look-ups, in Binance USDⓈ-M Futures' shapes.</summary>
        private sealed class CannedExchange : IHttpClientFactory
        {
            public HttpClient CreateClient(string name) => new(new Answers());

            private sealed class Answers : HttpMessageHandler
            {
                protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
                    Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
                    {
                        Content = new StringContent(request.RequestUri!.AbsolutePath switch
                        {
                            UsdmPaths.PremiumIndex => """{"symbol":"BTCUSDT","markPrice":"65000.10000000","indexPrice":"65001.00","lastFundingRate":"0.0001","time":1700000000000}""",
                            UsdmPaths.PositionRiskV2 => """[{"symbol":"BTCUSDT","positionAmt":"0.000","leverage":"20","marginType":"cross","positionSide":"BOTH"}]""",
                            _ => "[]",
                        }),
                    });
            }
        }
    }

    private OutgoingRequest Sign(string query) =>
        RequestSigner.TryPrepare(query, string.Empty, SecurityType.Trade, _hmac, 1_700_000_000_000, 5000, out var outgoing)
            ? outgoing
            : throw new InvalidOperationException("The benchmark key was retired.");
}
