namespace TradeFinder.Gateway.Context;

/// <summary>
/// A background writer's loop on a thread of its own (the audit writer's, the ownership ledger's): their stores' work is
/// synchronous underneath (SQLite's) or blocks on round trips (PostgreSQL's), and a thread-pool worker woken for each
/// change spun before it slept again (docs/PERFORMANCE.md). The thread sleeps on its writer's own event instead.
/// </summary>
internal static class WriterThread
{
    /// <summary>Runs <paramref name="loop"/> on a new background thread; the task completes when it returns, or faults with what it threw.</summary>
    public static Task Start(string name, Action loop)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                loop();
                stopped.TrySetResult();
            }
            catch (Exception ex)
            {
                stopped.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return stopped.Task;
    }
}
