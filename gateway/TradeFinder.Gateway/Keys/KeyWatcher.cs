using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Checks every key with the exchange before the gateway serves (a refused key stops the start), then watches
/// the secrets source: a changed file or a new Vault version starts a rotation, and previous keys are wiped
/// when their rollback window ends. Files are also watched with inotify so a change is picked up at once.
/// </summary>
internal sealed class KeyWatcher(
    KeyRing ring, KeyRotation rotation, IOptions<KeysOptions> options, TimeProvider time, ILogger<KeyWatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Dictionary<string, string> _lastSourceError = new(StringComparer.Ordinal);
    private FileSystemWatcher? _files;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (slot, validation) in await rotation.ValidateActiveAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = slot.Active;
            if (validation.Unverified)
            {
                slot.Verified = false;
                KeysLog.KeyWarning(logger, slot.Set.Name, "not checked yet, so it signs nothing until it is: " + validation.Summary);
                continue;
            }

            if (!validation.Ok)
            {
                throw new GatewayStartupException($"key set '{slot.Set.Name}' ({key.Fingerprint}) refused: {validation.Summary}.");
            }

            KeysLog.KeyInService(logger, slot.Set.Name, slot.Set.Mode.ToConfigValue(), slot.Set.Purpose.ToString().ToLowerInvariant(),
                slot.Set.Group, key.Type.ToString().ToLowerInvariant(), slot.Provider.Name, key.Fingerprint);
            foreach (var warning in validation.Warnings)
            {
                KeysLog.KeyWarning(logger, slot.Set.Name, warning);
            }
        }

        if (options.Value.Watch && ring.Slots.Select(s => s.Provider).OfType<FileKeyProvider>().FirstOrDefault() is { } files && Directory.Exists(files.Directory))
        {
            _files = new FileSystemWatcher(files.Directory) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.DirectoryName };
            _files.Changed += (_, _) => Wake();
            _files.Created += (_, _) => Wake();
            _files.Renamed += (_, _) => Wake();
            _files.EnableRaisingEvents = true;
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.RefreshSeconds);
        var recheck = TimeSpan.FromMinutes(options.Value.RecheckMinutes);
        var lastRecheck = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await WokenAsync(interval, stoppingToken).ConfigureAwait(false))
                {
                    // Writers replace several files; let them finish before reading (a half-written pair fails validation anyway).
                    await Task.Delay(TimeSpan.FromMilliseconds(200), time, stoppingToken).ConfigureAwait(false);
                }

                if (time.GetUtcNow() - lastRecheck >= recheck)
                {
                    lastRecheck = time.GetUtcNow();
                    await rotation.RecheckActiveAsync(stoppingToken).ConfigureAwait(false);
                }

                await rotation.VerifyPendingAsync(stoppingToken).ConfigureAwait(false);
                if (options.Value.Watch)
                {
                    await CheckSourcesAsync(stoppingToken).ConfigureAwait(false);
                }

                await rotation.RetireExpiredAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Waits for a file change or the refresh interval, on the gateway's clock. True when a change woke it.</summary>
    private async Task<bool> WokenAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var refresh = new CancellationTokenSource(interval, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, refresh.Token);
        try
        {
            await _wake.WaitAsync(wait.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        _files?.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already signalled, or shutting down.
        }
    }

    private async Task CheckSourcesAsync(CancellationToken cancellationToken)
    {
        foreach (var slot in ring.Slots.Where(s => s.Provider.CanChange))
        {
            string version;
            try
            {
                using var material = await slot.Provider.ReadAsync(slot.Set, cancellationToken).ConfigureAwait(false);
                version = material.Version;
                _lastSourceError.Remove(slot.Set.Name);
            }
            catch (KeyMaterialException ex)
            {
                // A source that is briefly unreadable (mid-update, Vault restarting) keeps the active key; say so once.
                if (!_lastSourceError.TryGetValue(slot.Set.Name, out var last) || last != ex.Message)
                {
                    _lastSourceError[slot.Set.Name] = ex.Message;
                    KeysLog.KeySourceFailed(logger, slot.Set.Name, ex.Message);
                }

                continue;
            }

            if (version != slot.Active.Version && version != slot.RejectedVersion)
            {
                var trigger = slot.Provider.Name == "vault" ? "vault version changed" : "secret file changed";
                await rotation.RotateAsync(slot.Set.Name, trigger, "watcher", cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
