using System.Diagnostics;

namespace TradeFinder.Benchmarks;

/// <summary>In-process micro-measurements for the benchmark suites.</summary>
public static class Measure
{
    /// <summary>Average µs per call of <paramref name="operation"/>, after a warm-up of a tenth of the iterations.</summary>
    public static double Micro<T>(Func<T> operation, int iterations)
    {
        for (var i = 0; i < iterations / 10; i++)
        {
            operation();
        }

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            operation();
        }

        return clock.Elapsed.TotalMicroseconds / iterations;
    }
}
