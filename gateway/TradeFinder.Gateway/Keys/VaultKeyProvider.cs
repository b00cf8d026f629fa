using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Keys from HashiCorp Vault / OpenBao KV v2 over its HTTP API: <c>GET /v1/{mount}/data/{prefix}/{set}</c>
/// with fields <c>api_key</c> and <c>secret</c> (HMAC) or <c>private_key</c> (PEM); the secret's
/// <c>metadata.version</c> is the key version, so a new version written to Vault starts a rotation.
/// Authenticates with AppRole (<c>POST /v1/auth/approle/login</c>, re-logging in before the lease ends or
/// when a token is refused) or with a token from a file (re-read when refused, as Vault Agent renews it) or
/// <c>VAULT_TOKEN</c>. Secret values are copied out of the response as bytes and the response is wiped.
/// </summary>
internal sealed class VaultKeyProvider : IKeyProvider, IDisposable
{
    public const string TokenVariable = "VAULT_TOKEN";
    public const string SecretIdVariable = "VAULT_SECRET_ID";
    private const string TokenHeader = "X-Vault-Token";

    private readonly HttpClient _http;
    private readonly VaultOptions _options;
    private readonly IConfiguration _configuration;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _login = new(1, 1);
    private string? _token;
    private DateTimeOffset _renewAt = DateTimeOffset.MaxValue;

    public VaultKeyProvider(VaultOptions options, IConfiguration configuration, TimeProvider time, HttpMessageHandler? handler = null)
    {
        if (!Uri.TryCreate(options.Address, UriKind.Absolute, out var address)
            || (address.Scheme != Uri.UriSchemeHttps && !(address.Scheme == Uri.UriSchemeHttp && address.IsLoopback)))
        {
            throw new KeyMaterialException("Gateway:Keys:Vault:Address must be an https URL (plain http only on loopback).");
        }

        if (string.IsNullOrWhiteSpace(options.RoleId) && string.IsNullOrWhiteSpace(options.TokenFile) && string.IsNullOrWhiteSpace(configuration[TokenVariable]))
        {
            throw new KeyMaterialException($"Vault needs credentials: Gateway:Keys:Vault:RoleId (AppRole), Gateway:Keys:Vault:TokenFile, or {TokenVariable}.");
        }

        _options = options;
        _configuration = configuration;
        _time = time;
        _http = handler is null ? new HttpClient(OutboundHttp.CreateHandler(configuration)) : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = new Uri(address.GetLeftPart(UriPartial.Authority) + "/");
        _http.Timeout = TimeSpan.FromSeconds(10);
        if (!string.IsNullOrWhiteSpace(options.Namespace))
        {
            _http.DefaultRequestHeaders.Add("X-Vault-Namespace", options.Namespace);
        }
    }

    public string Name => "vault";

    public bool CanChange => true;

    /// <summary>How many times this provider logged in with AppRole (visible for tests and status).</summary>
    public int Logins { get; private set; }

    public string Describe(KeySet set) => $"vault {SecretPath(set)}";

    public async Task<KeyMaterial> ReadAsync(KeySet set, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var token = await TokenAsync(forceNew: attempt > 0, cancellationToken).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Get, "v1/" + SecretPath(set));
            request.Headers.Add(TokenHeader, token);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new KeyMaterialException($"key set '{set.Name}': Vault unreachable ({ex.HttpRequestError}).");
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Forbidden && attempt == 0)
                {
                    continue; // expired or revoked token: log in again (or re-read the token file) once
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new KeyMaterialException(response.StatusCode switch
                    {
                        HttpStatusCode.NotFound => $"key set '{set.Name}': no secret at {Describe(set)}.",
                        HttpStatusCode.Forbidden => $"key set '{set.Name}': Vault refused the token for {Describe(set)} (403).",
                        _ => $"key set '{set.Name}': Vault answered {(int)response.StatusCode} for {Describe(set)}.",
                    });
                }

                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var material = Parse(set, body);
                    try
                    {
                        material.EnsureNotPlaceholder($"key set '{set.Name}' ({Describe(set)})");
                        return material;
                    }
                    catch
                    {
                        material.Dispose();
                        throw;
                    }
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(body);
                }
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _login.Dispose();
    }

    private string SecretPath(KeySet set) => $"{_options.Mount.Trim('/')}/data/{_options.PathPrefix.Trim('/')}/{set.Name}".Replace("//", "/", StringComparison.Ordinal);

    private async Task<string> TokenAsync(bool forceNew, CancellationToken cancellationToken)
    {
        await _login.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is not null && !forceNew && _time.GetUtcNow() < _renewAt)
            {
                return _token;
            }

            if (!string.IsNullOrWhiteSpace(_options.RoleId))
            {
                await AppRoleLoginAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (!string.IsNullOrWhiteSpace(_options.TokenFile))
            {
                _token = Encoding.UTF8.GetString(KeyFiles.ReadSecretFile(_options.TokenFile, "Vault token file")).Trim();
                _renewAt = DateTimeOffset.MaxValue;
            }
            else
            {
                _token = _configuration[TokenVariable]!.Trim();
                _renewAt = DateTimeOffset.MaxValue;
            }

            return _token!;
        }
        finally
        {
            _login.Release();
        }
    }

    private async Task AppRoleLoginAsync(CancellationToken cancellationToken)
    {
        var secretId = !string.IsNullOrWhiteSpace(_options.SecretIdFile)
            ? Encoding.UTF8.GetString(KeyFiles.ReadSecretFile(_options.SecretIdFile, "Vault secret-id file")).Trim()
            : _configuration[SecretIdVariable]?.Trim();
        if (string.IsNullOrEmpty(secretId))
        {
            throw new KeyMaterialException($"Vault AppRole needs a secret id: Gateway:Keys:Vault:SecretIdFile or {SecretIdVariable}.");
        }

        HttpResponseMessage response;
        try
        {
            using var login = new StringContent(new JsonObject { ["role_id"] = _options.RoleId, ["secret_id"] = secretId }.ToJsonString(), Encoding.UTF8, "application/json");
            response = await _http.PostAsync("v1/auth/approle/login", login, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new KeyMaterialException($"Vault unreachable for AppRole login ({ex.HttpRequestError}).");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new KeyMaterialException($"Vault refused the AppRole login ({(int)response.StatusCode}).");
            }

            using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
            var auth = json.RootElement.GetProperty("auth");
            _token = auth.GetProperty("client_token").GetString();
            var lease = auth.TryGetProperty("lease_duration", out var l) && l.TryGetInt64(out var seconds) && seconds > 0 ? seconds : 0;

            // Log in again at 80% of the lease, before Vault would refuse the token.
            _renewAt = lease > 0 ? _time.GetUtcNow().AddSeconds(lease * 0.8) : DateTimeOffset.MaxValue;
            Logins++;
        }
    }

    /// <summary>Reads <c>data.data.{api_key,secret,private_key}</c> and <c>data.metadata.version</c> without making strings of secrets.</summary>
    internal static KeyMaterial Parse(KeySet set, ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        var path = new List<string>();
        string? pending = null;
        string? apiKey = null;
        byte[]? secret = null;
        var isPem = false;
        long version = 0;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pending = reader.GetString();
                        break;
                    case JsonTokenType.StartObject:
                        path.Add(pending ?? "");
                        pending = null;
                        break;
                    case JsonTokenType.EndObject:
                        path.RemoveAt(path.Count - 1);
                        break;
                    case JsonTokenType.String when Is(path, "data", "data"):
                        if (pending == "api_key")
                        {
                            apiKey = reader.GetString();
                        }
                        else if (pending is "secret" or "private_key" && secret is null)
                        {
                            isPem = pending == "private_key";
                            var buffer = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
                            var written = reader.CopyString(buffer);
                            secret = buffer.AsSpan(0, written).ToArray();
                            CryptographicOperations.ZeroMemory(buffer);
                        }

                        pending = null;
                        break;
                    case JsonTokenType.Number when Is(path, "data", "metadata") && pending == "version":
                        version = reader.GetInt64();
                        pending = null;
                        break;
                    default:
                        pending = reader.TokenType is JsonTokenType.StartArray or JsonTokenType.EndArray ? pending : null;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            throw new KeyMaterialException($"key set '{set.Name}': Vault's answer is not KV v2 JSON.");
        }

        if (apiKey is null || secret is null)
        {
            if (secret is not null)
            {
                CryptographicOperations.ZeroMemory(secret);
            }

            throw new KeyMaterialException($"key set '{set.Name}': the Vault secret needs fields api_key and secret (HMAC) or private_key (PEM).");
        }

        return new KeyMaterial(apiKey, secret, isPem, "v" + version.ToString(CultureInfo.InvariantCulture));
    }

    private static bool Is(List<string> path, string first, string second) => path.Count == 3 && path[1] == first && path[2] == second;
}
