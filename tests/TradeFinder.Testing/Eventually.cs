namespace TradeFinder.Testing;

/// <summary>Waits for something the system does in the background, failing with what was awaited.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 100 ms for up to <paramref name="seconds"/> seconds.</summary>
    /// <param name="condition">What must become true.</param>
    /// <param name="what">Said when it does not.</param>
    /// <param name="seconds">How long to wait.</param>
    /// <returns>A task that fails when the condition never held.</returns>
    /// <param name="explain">What to add to the failure (the processes' logs), read only when it fails.</param>
    public static async Task TrueAsync(Func<bool> condition, string what, int seconds = 15, Func<string>? explain = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        for (var i = 0; i < seconds * 10 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        if (!condition())
        {
            throw new TimeoutException("Never happened: " + what + (explain is null ? "" : Environment.NewLine + explain()));
        }
    }
}
