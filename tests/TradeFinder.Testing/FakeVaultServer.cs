using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TradeFinder.Testing;

/// <summary>
/// A loopback stand-in for HashiCorp Vault / OpenBao, which cannot be installed here. It implements only what
/// the gateway uses, with the documented shapes: KV v2 read (<c>GET /v1/{mount}/data/{path}</c> answering
/// <c>{"data":{"data":{..},"metadata":{"version":N,..}}}</c>, 404 when absent, 403 "permission denied" for a
/// missing, unknown or expired <c>X-Vault-Token</c>) and AppRole login (<c>POST /v1/auth/approle/login</c>
/// answering <c>{"auth":{"client_token":..,"lease_duration":..}}</c>, 400 for a wrong role or secret id).
/// </summary>
public sealed class FakeVaultServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, List<Dictionary<string, string>>> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private int _logins;
    private int _reads;
    private int _refused;

    private FakeVaultServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    public string RootToken { get; } = "hvs." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string RoleId { get; } = Guid.NewGuid().ToString();

    public string SecretId { get; } = Guid.NewGuid().ToString();

    /// <summary>Lease given to AppRole tokens.</summary>
    public int TokenTtlSeconds { get; set; } = 3600;

    public int Logins => _logins;

    public int Reads => _reads;

    /// <summary>Requests refused with 403 (bad or expired token).</summary>
    public int Refused => _refused;

    public static async Task<FakeVaultServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var vault = new FakeVaultServer(app);
        vault._tokens[vault.RootToken] = DateTimeOffset.MaxValue;
        app.MapPost("/v1/auth/approle/login", (Delegate)vault.LoginAsync);
        app.MapGet("/v1/{mount}/data/{**path}", vault.Read);
        await app.StartAsync().ConfigureAwait(false);
        vault.Address = new Uri(app.Urls.First());
        return vault;
    }

    /// <summary>Writes a new version of a KV v2 secret; returns its version number.</summary>
    public int Put(string mountAndPath, IReadOnlyDictionary<string, string> data)
    {
        var versions = _secrets.GetOrAdd(mountAndPath, _ => []);
        lock (versions)
        {
            versions.Add(new Dictionary<string, string>(data));
            return versions.Count;
        }
    }

    /// <summary>Every AppRole token issued so far stops working, as when its TTL ends.</summary>
    public void ExpireIssuedTokens()
    {
        foreach (var token in _tokens.Keys.Where(t => t != RootToken))
        {
            _tokens[token] = DateTimeOffset.MinValue;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<IResult> LoginAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body).ConfigureAwait(false);
        var role = body.RootElement.TryGetProperty("role_id", out var r) ? r.GetString() : null;
        var secret = body.RootElement.TryGetProperty("secret_id", out var s) ? s.GetString() : null;
        if (role != RoleId || secret != SecretId)
        {
            return Results.Json(new { errors = new[] { "invalid role or secret ID" } }, statusCode: 400);
        }

        Interlocked.Increment(ref _logins);
        var token = "hvs." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = DateTimeOffset.UtcNow.AddSeconds(TokenTtlSeconds);
        return Results.Json(new
        {
            request_id = Guid.NewGuid(),
            lease_id = "",
            renewable = false,
            lease_duration = 0,
            data = (object?)null,
            wrap_info = (object?)null,
            warnings = (object?)null,
            auth = new
            {
                client_token = token,
                accessor = Guid.NewGuid().ToString("N"),
                policies = new[] { "default", "tradefinder" },
                token_policies = new[] { "default", "tradefinder" },
                metadata = new { role_name = "tradefinder" },
                lease_duration = TokenTtlSeconds,
                renewable = true,
                entity_id = Guid.NewGuid(),
                token_type = "service",
                orphan = true,
            },
        });
    }

    private IResult Read(HttpContext context, string mount, string path)
    {
        var token = context.Request.Headers["X-Vault-Token"].ToString();
        if (!_tokens.TryGetValue(token, out var expires) || expires <= DateTimeOffset.UtcNow)
        {
            Interlocked.Increment(ref _refused);
            return Results.Json(new { errors = new[] { "permission denied" } }, statusCode: 403);
        }

        Interlocked.Increment(ref _reads);
        if (!_secrets.TryGetValue(mount + "/" + path, out var versions) || versions.Count == 0)
        {
            return Results.Json(new { errors = Array.Empty<string>() }, statusCode: 404);
        }

        Dictionary<string, string> current;
        int version;
        lock (versions)
        {
            current = versions[^1];
            version = versions.Count;
        }

        return Results.Json(new
        {
            request_id = Guid.NewGuid(),
            lease_id = "",
            renewable = false,
            lease_duration = 0,
            data = new
            {
                data = current,
                metadata = new { created_time = DateTimeOffset.UtcNow.ToString("O"), custom_metadata = (object?)null, deletion_time = "", destroyed = false, version },
            },
            wrap_info = (object?)null,
            warnings = (object?)null,
            auth = (object?)null,
        });
    }
}
