using System.Diagnostics;

namespace TradeFinder.Testing;

/// <summary>Runs a Node.js script of <c>tests/compat</c> (third-party clients, the browser check) with its packages, as the test command installs them.</summary>
public static class CompatScripts
{
    public static string Directory { get; } = Path.Combine(SourceTree.Root, "tests", "compat");

    public static async Task<(int Code, string Output, string Error)> RunAsync(string script, IReadOnlyDictionary<string, string> environment, int timeoutSeconds = 60)
    {
        if (!System.IO.Directory.Exists(Path.Combine(Directory, "node_modules")))
        {
            throw new InvalidOperationException($"run `npm ci --prefix {Directory}` (the test command does) before these tests");
        }

        var start = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
