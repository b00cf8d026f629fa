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
using TradeFinder.Gateway.Identity;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Logging;
using TradeFinder.Gateway.Modes;
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
    }

    [GlobalCleanup]
    public void Cleanup()
    {
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

    private OutgoingRequest Sign(string query) =>
        RequestSigner.TryPrepare(query, string.Empty, SecurityType.Trade, _hmac, 1_700_000_000_000, 5000, out var outgoing)
            ? outgoing
            : throw new InvalidOperationException("The benchmark key was retired.");
}
