using Microsoft.AspNetCore.Http;
using TradeFinder.Gateway.Hosting;

namespace TradeFinder.Gateway.Tests.Hosting;

public sealed class OffSocketThreadTests
{
    [Fact]
    public async Task ARequestStartedOnAThreadOutsideThePool_ContinuesOnAPoolThread()
    {
        // A socket event thread is a dedicated thread, not one of the pool's: one stands in for it here.
        bool? onPool = null;
        Task? handled = null;
        var socketThread = new Thread(() => handled = OffSocketThread.InvokeAsync(new DefaultHttpContext(), _ =>
        {
            onPool = Thread.CurrentThread.IsThreadPoolThread;
            return Task.CompletedTask;
        }));
        socketThread.Start();
        socketThread.Join();
        await handled!;

        Assert.True(onPool);
    }
}
