namespace TradeFinder.Gateway.Hosting;

/// <summary>
/// Admin and ops requests leave the socket thread before any work: with inline I/O (<c>Gateway:InlineIo</c>) a request
/// runs on the thread that read it, which also serves bots' connections, and some admin work is long and synchronous
/// (verifying the audit chain reads every record through SQLite, whose asynchronous calls complete synchronously).
/// </summary>
internal static class OffSocketThread
{
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await Task.Yield(); // without a synchronization context, the rest runs as a thread-pool work item
        await next(context).ConfigureAwait(false);
    }
}
