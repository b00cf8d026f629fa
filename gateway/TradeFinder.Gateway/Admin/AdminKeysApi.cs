using Microsoft.AspNetCore.Http.HttpResults;
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

        admin.MapGet("/", (KeyRing ring, TimeProvider time) => TypedResults.Json(new KeySetsView([.. ring.Slots.Select(s => View(s, time.GetUtcNow()))]), AdminJson.Default.KeySetsView));
        admin.MapPost("/{set}/rotate", async (string set, KeyRotation rotation, HttpContext context) =>
            Answer(await rotation.RotateAsync(set, "admin", Actor(context), context.RequestAborted).ConfigureAwait(false)));
        admin.MapPost("/{set}/rollback", async (string set, KeyRotation rotation, HttpContext context) =>
            Answer(await rotation.RollbackAsync(set, Actor(context), context.RequestAborted).ConfigureAwait(false)));
    }

    private static string Actor(HttpContext context) => context.Features.Get<AdminIdentity>()?.Name ?? "?";

    private static JsonHttpResult<RotationResult> Answer(RotationResult result) => TypedResults.Json(result, AdminJson.Default.RotationResult,
        statusCode: result.Outcome == "unknown key set" ? StatusCodes.Status404NotFound
            : result.Ok ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);

    private static KeySlotView View(KeySlot slot, DateTimeOffset now) => new(
        slot.Set.Name,
        slot.Set.Mode.ToString().ToLowerInvariant(),
        slot.Set.Purpose.ToString().ToLowerInvariant(),
        slot.Set.Group,
        slot.Provider.Name,
        slot.Provider.Describe(slot.Set),
        Key(slot.Active, now),
        slot.Previous is { } previous ? Key(previous, now) : null,
        slot.RollbackUntil,
        slot.LastValidation is { } v ? new ValidationView(v.Fingerprint, v.Ok, v.At, v.Summary) : null);

    private static KeyView Key(ExchangeKey key, DateTimeOffset now) => new(
        key.Fingerprint,
        key.Type.ToString().ToLowerInvariant(),
        key.Version,
        key.LoadedAt,
        (long)(now - key.LoadedAt).TotalSeconds,
        key.BoundHost.GetLeftPart(UriPartial.Authority));
}
