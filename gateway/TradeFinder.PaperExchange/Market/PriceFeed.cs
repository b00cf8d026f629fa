using System.Collections.Concurrent;

namespace TradeFinder.PaperExchange.Market;

/// <summary>
/// Prices as a pure function of (seed, symbol, second): a few incommensurate waves plus hashed noise around
/// the symbol's initial price, so any instant — past, present or after a restart — has one price. A CSV
/// replay or a pinned price (control API, tests) replaces the process for its symbol.
/// </summary>
internal sealed class PriceFeed(int seed, IReadOnlyDictionary<string, KlineReplay> replays)
{
    private static readonly double[] Amplitudes = [0.030, 0.012, 0.005, 0.002];
    private static readonly double[] PeriodsSeconds = [6 * 3600, 97 * 60, 17 * 60, 187];
    private const double NoiseAmplitude = 0.0003;
    private const double MarkBasis = 0.0002;

    private readonly ConcurrentDictionary<string, decimal> _pinned = new(StringComparer.Ordinal);

    public void Pin(string symbol, decimal price) => _pinned[symbol] = price;

    public void Unpin(string symbol) => _pinned.TryRemove(symbol, out _);

    /// <summary>Last traded ("contract") price at a unix second.</summary>
    public decimal LastPrice(SymbolSpec spec, long second)
    {
        if (_pinned.TryGetValue(spec.Symbol, out var pinned))
        {
            return pinned;
        }

        if (replays.TryGetValue(spec.Symbol, out var replay))
        {
            return spec.RoundToTick(replay.PriceAt(second));
        }

        var log = 0.0;
        for (var i = 0; i < Amplitudes.Length; i++)
        {
            log += Amplitudes[i] * Math.Sin((2 * Math.PI * second / PeriodsSeconds[i]) + Phase(spec.Symbol, i));
        }

        log += NoiseAmplitude * Noise(spec.Symbol, second);
        return spec.RoundToTick(spec.InitialPrice * (decimal)Math.Exp(log));
    }

    /// <summary>Mark price: the last price with a small slow basis; equal to it while pinned.</summary>
    public decimal MarkPrice(SymbolSpec spec, long second)
    {
        var last = LastPrice(spec, second);
        if (_pinned.ContainsKey(spec.Symbol))
        {
            return last;
        }

        var basis = MarkBasis * Math.Sin((2 * Math.PI * second / 600) + Phase(spec.Symbol, 9));
        return spec.RoundToTick(last * (1 + (decimal)basis));
    }

    public decimal IndexPrice(SymbolSpec spec, long second) =>
        _pinned.ContainsKey(spec.Symbol) ? LastPrice(spec, second) : spec.RoundToTick((LastPrice(spec, second) + MarkPrice(spec, second)) / 2);

    /// <summary>Deterministic value in [0, 1) for (symbol, salt, index), used for phases, noise and sizes.</summary>
    public double Unit(string symbol, long salt, long index)
    {
        var h = Hash(symbol, salt, index);
        return (h >> 11) * (1.0 / (1UL << 53));
    }

    private double Phase(string symbol, int i) => 2 * Math.PI * Unit(symbol, 1_000 + i, 0);

    private double Noise(string symbol, long second) => (Unit(symbol, 7, second) + Unit(symbol, 8, second) + Unit(symbol, 9, second) - 1.5) * 2;

    private ulong Hash(string symbol, long salt, long index)
    {
        // FNV-1a over (seed, symbol) then SplitMix64 over the index: stable across processes and platforms.
        var h = 14695981039346656037UL ^ (ulong)seed;
        foreach (var c in symbol)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        var z = h + (ulong)salt * 0x9E3779B97F4A7C15UL + (ulong)index;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
