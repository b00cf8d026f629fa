using System.Diagnostics;

namespace TradeFinder.Testing;

/// <summary>Waits for something the system does in the background, failing with what was awaited.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="pollMilliseconds"/> for up to <paramref name="seconds"/> seconds.</summary>
    /// <param name="condition">What must become true.</param>
    /// <param name="what">Said when it does not.</param>
    /// <param name="seconds">How long to wait.</param>
    /// <param name="explain">What to add to the failure (the processes' logs), read only when it fails.</param>
    /// <param name="pollMilliseconds">Pause between checks: longer where a check spends something (exchange weight).</param>
    /// <returns>A task that fails when the condition never held.</returns>
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 15, Func<string>? explain = null, int pollMilliseconds = 100)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed.TotalSeconds >= seconds)
            {
                throw new TimeoutException($"Never happened within {seconds} s: {what}" + (explain is null ? "" : Environment.NewLine + explain()));
            }

            await Task.Delay(pollMilliseconds);
        }
    }
}
