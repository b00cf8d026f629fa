using System.Globalization;

namespace TradeFinder.PaperExchange.Market;

/// <summary>One-minute candles from a CSV (<c>openTime,open,high,low,close,volume</c>), replayed in a loop.</summary>
internal sealed class KlineReplay
{
    private readonly (decimal Open, decimal High, decimal Low, decimal Close, decimal Volume)[] _rows;

    private KlineReplay((decimal, decimal, decimal, decimal, decimal)[] rows) => _rows = rows;

    public int Count => _rows.Length;

    public static KlineReplay Load(string path)
    {
        var rows = new List<(decimal, decimal, decimal, decimal, decimal)>();
        foreach (var line in File.ReadLines(path))
        {
            if (line.Length == 0 || !char.IsAsciiDigit(line[0]))
            {
                continue;
            }

            var f = line.Split(',');
            if (f.Length < 6)
            {
                throw new FormatException($"Kline CSV row needs openTime,open,high,low,close,volume: '{line}'.");
            }

            rows.Add((D(f[1]), D(f[2]), D(f[3]), D(f[4]), D(f[5])));
        }

        return rows.Count > 0 ? new KlineReplay([.. rows]) : throw new FormatException($"Kline CSV '{path}' has no rows.");
    }

    /// <summary>The replayed minute covering <paramref name="second"/> (unix seconds), looping over the file.</summary>
    public (decimal Open, decimal High, decimal Low, decimal Close, decimal Volume) MinuteAt(long second) =>
        _rows[(int)((second / 60 % _rows.Length + _rows.Length) % _rows.Length)];

    /// <summary>
    /// Price inside a minute: open at second 0 → first extreme at 20 → second extreme at 40 → close at 59. A
    /// rising candle visits its low first, a falling one its high first, so the path hits all four exactly.
    /// </summary>
    public decimal PriceAt(long second)
    {
        var (open, high, low, close, _) = MinuteAt(second);
        var (first, secondExtreme) = close >= open ? (low, high) : (high, low);
        var s = (int)(((second % 60) + 60) % 60);
        return s switch
        {
            < 20 => Lerp(open, first, s / 20m),
            < 40 => Lerp(first, secondExtreme, (s - 20) / 20m),
            _ => Lerp(secondExtreme, close, (s - 40) / 19m),
        };
    }

    private static decimal Lerp(decimal a, decimal b, decimal t) => a + ((b - a) * t);

    private static decimal D(string value) => decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
}
