using System.Text.Json;
using BranchConnector.Agent.Desired;
using BranchConnector.Agent.Linux.WireGuard;
using BranchConnector.Agent.Protocol;
using BranchConnector.Agent.State;
using BranchConnector.Agent.Tools;
using Microsoft.Extensions.Logging;

namespace BranchConnector.Agent.Ha;

/// <summary>What the rest of the agent gives the pair: the applied config (spec, backbone, handshake timeout).</summary>
public delegate DesiredConfig AppliedConfig();

/// <summary>
/// The redundant pair on this box: keeps keepalived in line with the applied `ha` topic (called at the end of
/// every apply, so start-up, batches, drift checks and rollbacks all reach it), learns every transition from
/// the notify FIFO and publishes HaState at once (retained), writes the backbone and drain track files, and
/// answers drain/undrain. Every change to keepalived goes through one lock; FIFO events only update the state.
/// </summary>
public sealed class HaService
{
    private static readonly TimeSpan TrackInterval = TimeSpan.FromSeconds(1);
    private readonly HaPaths _paths;
    private readonly string _serial;
    private readonly ICommandRunner _runner;
    private readonly KeepalivedSupervisor _keepalived;
    private readonly DrainFlag _drain;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _lock = new(1, 1);
    /// <summary>HaStates leave in the order they were decided (the retained one is the last).</summary>
    private readonly SemaphoreSlim _publishLock = new(1, 1);
    private readonly object _stateLock = new();
    private HaSpec? _spec;
    private HaStatePayload? _current;
    private bool _backboneDown;

    public HaService(HaPaths paths, string serial, ICommandRunner runner, string keepalivedCommand, TimeProvider clock, ILogger log)
    {
        _paths = paths;
        _serial = serial;
        _runner = runner;
        _keepalived = new KeepalivedSupervisor(paths, runner, keepalivedCommand, log);
        _drain = new DrainFlag(paths.DrainFlag);
        _clock = clock;
        _log = log;
    }

    /// <summary>Receives every new HaState (the daemon publishes it on ha/state and feeds the metrics).</summary>
    public Func<HaStatePayload, CancellationToken, Task>? Publish { get; set; }

    /// <summary>The state the box is in; null without an `ha` topic (TunnelStatus, Inform and status carry it).</summary>
    public HaStatePayload? Current
    {
        get { lock (_stateLock) return _spec is null ? null : _current; }
    }

    public bool Drained => _drain.IsSet;

    /// <summary>
    /// Brings keepalived in line with <paramref name="spec"/> (null: none, stop it). Returns a problem for the
    /// Confirm's warnings, or null. A pair that cannot start leaves the rest of the batch applied: the box
    /// still routes, it just cannot hold the virtual address.
    /// </summary>
    public async Task<string?> SyncAsync(HaSpec? spec, BackboneSpec? backbone, TimeSpan handshakeTimeout, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (spec is null)
            {
                var had = _spec is not null || _keepalived.Running || File.Exists(_paths.Config);
                if (!had) return null;
                var problem = await _keepalived.StopAsync(ct).ConfigureAwait(false);
                var last = Current;
                lock (_stateLock) _spec = null;
                if (last is not null) await PublishAsync(last with { State = HaStatePayload.Stopped, Since = _clock.GetUtcNow(), Reason = "ha topic removed" }, ct).ConfigureAwait(false);
                return problem is null ? null : "ha: " + problem;
            }

            _keepalived.CreateDirectory();
            await WriteTrackAsync(_paths.DrainTrack, _drain.IsSet, ct).ConfigureAwait(false);
            var down = BackboneVerdict.IsDown(backbone, await ReadBackboneAsync(backbone, ct).ConfigureAwait(false), handshakeTimeout, _clock.GetUtcNow());
            await SetBackboneAsync(down, ct).ConfigureAwait(false);
            var adopting = _spec is null;
            lock (_stateLock) _spec = spec;
            if (adopting) await AdoptLastStateAsync(spec, ct).ConfigureAwait(false);
            var result = await _keepalived.EnsureAsync(spec, KeepalivedConfig.Render(spec, _paths, _serial), ct).ConfigureAwait(false);
            if (result is not null)
            {
                await PublishAsync(StateOf(spec, HaStatePayload.Stopped, result), ct).ConfigureAwait(false);
                return "ha: " + result;
            }
            // Same group, new priority (a reload): keepalived reports no transition for it, the state shows it.
            if (Current is { } c && c.Priority != spec.Priority)
                await PublishAsync(c with { Priority = spec.Priority, Since = c.Since }, ct).ConfigureAwait(false);
            return null;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>`drain` / `undrain`: false when there is no `ha` topic (the hub's message is not_allowed).</summary>
    public async Task<bool> SetDrainedAsync(bool drained, string? reason, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_spec is null) return false;
            if (drained) await _drain.SetAsync(reason, ct).ConfigureAwait(false);
            else _drain.Clear();
            await WriteTrackAsync(_paths.DrainTrack, drained, ct).ConfigureAwait(false);
            _log.LogInformation("ha: {Action} ({Reason})", drained ? "drained: handing the site to the partner" : "undrained", reason ?? "no reason given");
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>cleanup and decommission: keepalived stopped, addresses released, its files gone.</summary>
    public async Task<string?> RemoveEverythingAsync(bool wipeDrain, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var problem = await _keepalived.StopAsync(ct).ConfigureAwait(false);
            lock (_stateLock) _spec = null;
            if (wipeDrain) _drain.Clear();
            return problem;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The FIFO reader and the backbone tracker, until the daemon stops.</summary>
    public Task RunAsync(AppliedConfig config, CancellationToken ct) => Task.WhenAll(
        new NotifyFifoReader(_paths.Fifo, e => OnEventAsync(e, ct), _log).RunAsync(ct),
        TrackLoopAsync(config, ct));

    private async Task OnEventAsync(NotifyLine line, CancellationToken ct)
    {
        HaStatePayload next;
        lock (_stateLock)
        {
            if (_spec is not { } spec || line.Instance != KeepalivedConfig.InstanceName(spec)) return;
            var (state, reason) = HaStateMachine.Map(line.Event, new HaConditions(_drain.IsSet, _backboneDown));
            next = StateOf(spec, state, reason);
        }
        try
        {
            await PublishAsync(next, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            _log.LogWarning("ha: publishing {State}: {Message}", next.State, e.Message);
        }
    }

    private async Task TrackLoopAsync(AppliedConfig config, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TrackInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                if (_spec is null) continue;
                var applied = config();
                var down = BackboneVerdict.IsDown(applied.Backbone, await ReadBackboneAsync(applied.Backbone, ct).ConfigureAwait(false),
                    TimeSpan.FromSeconds(applied.Monitoring.HandshakeTimeoutS), _clock.GetUtcNow());
                await _lock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    if (_spec is not null) await SetBackboneAsync(down, ct).ConfigureAwait(false);
                }
                finally
                {
                    _lock.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<ObservedWgDevice?> ReadBackboneAsync(BackboneSpec? backbone, CancellationToken ct) =>
        backbone is { Kind: not HubKind.None } b ? await WgShow.ReadAsync(_runner, b.Interface, ct).ConfigureAwait(false) : null;

    private async Task SetBackboneAsync(bool down, CancellationToken ct)
    {
        var changed = down != _backboneDown || !File.Exists(_paths.BackboneTrack);
        _backboneDown = down;
        if (!changed) return;
        await WriteTrackAsync(_paths.BackboneTrack, down, ct).ConfigureAwait(false);
        _log.LogInformation("ha: backbone {Verdict}", down ? "down: giving up the site" : "up");
    }

    /// <summary>
    /// keepalived watches the file with inotify and reads the number when the writer closes it: written in
    /// place (a rename would be a new inode to it).
    /// </summary>
    private static async Task WriteTrackAsync(string path, bool on, CancellationToken ct)
    {
        var wanted = on ? "1\n" : "0\n";
        if (File.Exists(path) && await File.ReadAllTextAsync(path, ct).ConfigureAwait(false) == wanted) return;
        await File.WriteAllTextAsync(path, wanted, ct).ConfigureAwait(false);
        File.SetUnixFileMode(path, AtomicFile.OwnerOnly);
    }

    /// <summary>A restarted agent reports the state keepalived is in (its last HaState), not a new one.</summary>
    private async Task AdoptLastStateAsync(HaSpec spec, CancellationToken ct)
    {
        HaStatePayload? last = null;
        if (_keepalived.Running && File.Exists(_paths.LastState))
        {
            try
            {
                last = JsonSerializer.Deserialize(await File.ReadAllBytesAsync(_paths.LastState, ct).ConfigureAwait(false), HaJsonContext.Default.HaStatePayload);
            }
            catch (JsonException)
            {
            }
        }
        var state = last is not null && last.Group == spec.Group && last.Vrid == spec.Vrid && last.Serial == _serial
            ? last
            : StateOf(spec, HaStatePayload.Backup, "starting");
        await PublishAsync(state, ct).ConfigureAwait(false);
    }

    private HaStatePayload StateOf(HaSpec spec, string state, string? reason) =>
        new(_serial, spec.Group, spec.Vrid, state, spec.Priority, _clock.GetUtcNow(), reason);

    private async Task PublishAsync(HaStatePayload next, CancellationToken ct)
    {
        await _publishLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            lock (_stateLock)
            {
                if (next.SameAs(_current)) return;
                _current = next;
            }
            _log.LogInformation("ha: {State}{Reason} (group {Group}, vrid {Vrid})", next.State, next.Reason is null ? "" : $" ({next.Reason})", next.Group, next.Vrid);
            // The hub first: the hub moves the site's subnets on it, the file only serves a restarted agent.
            if (Publish is { } publish) await publish(next, ct).ConfigureAwait(false);
            if (next.State != HaStatePayload.Stopped || File.Exists(_paths.Config))
                await AtomicFile.WriteAsync(_paths.LastState, JsonSerializer.SerializeToUtf8Bytes(next, HaJsonContext.Default.HaStatePayload), ct).ConfigureAwait(false);
        }
        finally
        {
            _publishLock.Release();
        }
    }

    /// <summary>After a (re)connect: the retained HaState again, as the broker may have lost it.</summary>
    public async Task RepublishAsync(CancellationToken ct)
    {
        if (Current is { } current && Publish is { } publish) await publish(current, ct).ConfigureAwait(false);
    }
}
