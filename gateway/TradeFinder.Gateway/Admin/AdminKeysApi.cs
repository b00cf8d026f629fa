using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Admin;

/// <summary>
/// <c>keys status|rotate|rollback</c> over the admin port. Status shows fingerprints, purpose, age and the last
/// validation — never key material.
/// </summary>
internal static class AdminKeysApi
{
    public static void MapAdminKeysApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/keys").OnListener(Listener.Admin);

        admin.MapGet("/", (KeyRing ring, TimeProvider time) => TypedResults.Json(new { sets = ring.Slots.Select(s => View(s, time.GetUtcNow())) }));
        admin.MapPost("/{set}/rotate", async (string set, KeyRotation rotation, HttpContext context) =>
            Answer(await rotation.RotateAsync(set, "admin", Actor(context), context.RequestAborted).ConfigureAwait(false)));
        admin.MapPost("/{set}/rollback", async (string set, KeyRotation rotation, HttpContext context) =>
            Answer(await rotation.RollbackAsync(set, Actor(context), context.RequestAborted).ConfigureAwait(false)));
    }

    private static string Actor(HttpContext context) => context.Features.Get<AdminIdentity>()?.Name ?? "?";

    private static IResult Answer(RotationResult result) => result.Outcome == "unknown key set"
        ? Results.NotFound(result)
        : result.Ok ? Results.Json(result) : Results.UnprocessableEntity(result);

    private static object View(KeySlot slot, DateTimeOffset now) => new
    {
        set = slot.Set.Name,
        mode = slot.Set.Mode.ToString().ToLowerInvariant(),
        purpose = slot.Set.Purpose.ToString().ToLowerInvariant(),
        group = slot.Set.Group,
        provider = slot.Provider.Name,
        source = slot.Provider.Describe(slot.Set),
        active = Key(slot.Active, now),
        previous = slot.Previous is { } previous ? Key(previous, now) : null,
        rollbackUntil = slot.RollbackUntil,
        lastValidation = slot.LastValidation is { } v ? new { v.Fingerprint, v.Ok, v.At, v.Summary } : null,
    };

    private static object Key(ExchangeKey key, DateTimeOffset now) => new
    {
        key.Fingerprint,
        type = key.Type.ToString().ToLowerInvariant(),
        key.Version,
        key.LoadedAt,
        ageSeconds = (long)(now - key.LoadedAt).TotalSeconds,
        host = key.BoundHost.GetLeftPart(UriPartial.Authority),
    };
}
