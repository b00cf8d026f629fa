using System.Diagnostics;
using System.Security.Cryptography;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Repository;

/// <summary>No secret in the tree or anywhere in the git history (CI runs this on every clone).</summary>
public sealed class SecretScanTests
{
    [Fact]
    public void Scanner_FindsAKeyBlockARandomSecretAndACanary_ButNotPlaceholders()
    {
        using var rsa = RSA.Create(2048);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var text = string.Join('\n',
            rsa.ExportPkcs8PrivateKeyPem(),
            "BINANCE_SECRET=" + secret,
            "\"apiKey\": \"" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)) + "\"",
            "seen in a log: " + "CANARY" + "secret" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)),
            "BINANCE_API_KEY=your_api_key_here",
            "PAPER_API_SECRET=your_secret_here",
            // Code naming a key block's header is not a key (built here so the source holds no header line either).
            "Assert.Contains(\"-----BEGIN " + "PRIVATE KEY-----\", pem);",
            "var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));");

        var findings = SecretScanner.Scan("sample", text).ToList();

        Assert.Contains(findings, f => f.Rule == "private key block");
        Assert.Contains(findings, f => f.Rule.Contains("BINANCE_SECRET", StringComparison.Ordinal) && f.Fingerprint == SecretScanner.Fingerprint(secret));
        Assert.Contains(findings, f => f.Rule.Contains("apiKey", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Rule == "test canary value");
        Assert.Equal(4, findings.Count);
        Assert.DoesNotContain(findings, f => f.ToString().Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Tree_HoldsNoSecret()
    {
        var files = Git("ls-files", "-z").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var findings = files
            .Select(f => Path.Combine(SourceTree.Root, f))
            .Where(f => File.Exists(f) && new FileInfo(f).Length < 2_000_000 && !IsBinary(f))
            .SelectMany(f => SecretScanner.Scan(Path.GetRelativePath(SourceTree.Root, f), File.ReadAllText(f)))
            .ToList();

        Assert.True(files.Length > 100, "git ls-files found only " + files.Length + " files");
        Assert.True(findings.Count == 0, "Secrets in the tree:" + Environment.NewLine + string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void History_HoldsNoSecret()
    {
        // Every line any commit ever added, on every branch: a secret removed later is still in the history.
        var added = new List<(string Where, string Line)>();
        string? commit = null, file = null;
        foreach (var line in Git("log", "--all", "-p", "--no-color", "--no-ext-diff", "--format=commit %H").Split('\n'))
        {
            if (line.StartsWith("commit ", StringComparison.Ordinal))
            {
                commit = line[7..Math.Min(line.Length, 19)];
            }
            else if (line.StartsWith("+++ b/", StringComparison.Ordinal))
            {
                file = line[6..];
            }
            else if (line.StartsWith('+') && !line.StartsWith("+++", StringComparison.Ordinal))
            {
                added.Add(($"{commit} {file}", line[1..]));
            }
        }

        var findings = added.GroupBy(a => a.Where)
            .SelectMany(g => SecretScanner.Scan(g.Key, string.Join('\n', g.Select(a => a.Line))))
            .ToList();

        Assert.True(added.Count > 1000, "the history yielded only " + added.Count + " added lines");
        Assert.True(findings.Count == 0, "Secrets in the git history:" + Environment.NewLine + string.Join(Environment.NewLine, findings));
    }

    private static bool IsBinary(string path)
    {
        Span<byte> head = stackalloc byte[4096];
        using var stream = File.OpenRead(path);
        return head[..stream.Read(head)].Contains((byte)0);
    }

    private static string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = SourceTree.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // CI clones as another user than the one that owns the checkout at times; the repository is ours to read.
        start.ArgumentList.Insert(0, "safe.directory=*");
        start.ArgumentList.Insert(0, "-c");
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEndAsync();
        git.WaitForExit();
        return git.ExitCode == 0 ? output.Result : throw new InvalidOperationException("git " + string.Join(' ', args) + ": " + git.StandardError.ReadToEnd());
    }
}
