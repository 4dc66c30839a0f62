using System.Globalization;
using Vigil.Reports;

namespace Vigil.Incidents;

/// <summary>
/// The seed's automatic incident responder (§9) with the guards production needs: it judges recent signals
/// (<see cref="Judge"/>: P0 → <c>static_response</c>, P1 → <c>fallback_model</c>, P2 → <c>cached_only</c>), only once
/// the window holds <see cref="IncidentOptions.MinRequests"/> calls; it escalates at once but steps down only after
/// the signals called for a lighter mode for a whole <see cref="IncidentOptions.HoldPeriod"/> (to the deepest mode
/// they called for in that time), so a flapping signal changes the mode at most once per hold period; and a manual
/// <see cref="Override"/> holds until <see cref="Release"/>. Every change is logged (bounded). Thread-safe.
/// </summary>
public sealed class IncidentResponder : IDegradationModeSource
{
    private readonly IncidentOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Queue<IncidentLogEntry> _log = new();
    private DegradationMode _mode = DegradationMode.Normal;
    private DateTimeOffset? _since;
    private string? _reason;
    private bool _overridden;
    private DateTimeOffset? _lighterSince;
    private long? _seenAtChange;
    private DegradationMode _lighterPeak;
    private string _lighterReason = "";

    /// <summary>Creates a responder in <see cref="DegradationMode.Normal"/>.</summary>
    /// <param name="options">Thresholds, minimum calls, hold period; null: the defaults.</param>
    /// <param name="timeProvider">The clock of <see cref="Assess(IncidentSignals)"/>, overrides and releases; null: the system's.</param>
    public IncidentResponder(IncidentOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new IncidentOptions();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The options in force.</summary>
    public IncidentOptions Options => _options;

    /// <inheritdoc />
    public DegradationMode Mode
    {
        get
        {
            lock (_gate)
            {
                return _mode;
            }
        }
    }

    /// <summary>True while a manual override holds.</summary>
    public bool IsOverridden
    {
        get
        {
            lock (_gate)
            {
                return _overridden;
            }
        }
    }

    /// <summary>The state for the health report: the mode, since when and why (since and reason null while normal from the start).</summary>
    public IncidentFigures Current
    {
        get
        {
            lock (_gate)
            {
                return new IncidentFigures(IncidentLabels.Of(_mode), _since, _reason);
            }
        }
    }

    /// <summary>The state for <c>GET /v1/incident</c>: mode, since, reason and whether a manual override holds.</summary>
    public IncidentState State
    {
        get
        {
            lock (_gate)
            {
                return new IncidentState(_mode, _since, _reason, _overridden);
            }
        }
    }

    /// <summary>
    /// Called with every new log entry, under the responder's lock: keep it short and never block (e.g. write to a
    /// channel that a background writer drains).
    /// </summary>
    public Action<IncidentLogEntry>? Logged { get; set; }

    /// <summary>The mode changes, oldest first (at most <see cref="IncidentOptions.MaxLogEntries"/>).</summary>
    public IReadOnlyList<IncidentLogEntry> Log
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>What <paramref name="signals"/> call for on their own under <paramref name="options"/> (no hysteresis).</summary>
    public static IncidentJudgement Judge(IncidentSignals signals, IncidentOptions options)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(options);
        var c = CultureInfo.InvariantCulture;
        if (signals.Requests < options.MinRequests)
        {
            return new(DegradationMode.Normal, null, string.Create(c, $"{signals.Requests} calls, fewer than {options.MinRequests}: not judged"));
        }

        var p99 = signals.P99Milliseconds / 1000.0;
        var hallucinationRate = signals.Verdicts is { } verdicts && verdicts < options.MinVerdicts ? 0 : signals.HallucinationRate;
        var crossed = new List<string>(3);

        void Check(bool condition, string text)
        {
            if (condition)
            {
                crossed.Add(text);
            }
        }

        string Because() => string.Create(c, $"{string.Join(", ", crossed)} over {signals.Requests} calls");

        Check(signals.SuccessRate < options.CriticalSuccessRate, string.Create(c, $"success rate {Percent(signals.SuccessRate)} < {Percent(options.CriticalSuccessRate)}"));
        Check(hallucinationRate > options.CriticalHallucinationRate, string.Create(c, $"hallucination rate {Percent(hallucinationRate)} > {Percent(options.CriticalHallucinationRate)}"));
        if (crossed.Count > 0)
        {
            return new(DegradationMode.StaticResponse, IncidentSeverity.P0, Because());
        }

        Check(signals.SuccessRate < options.HighSuccessRate, string.Create(c, $"success rate {Percent(signals.SuccessRate)} < {Percent(options.HighSuccessRate)}"));
        Check(hallucinationRate > options.HighHallucinationRate, string.Create(c, $"hallucination rate {Percent(hallucinationRate)} > {Percent(options.HighHallucinationRate)}"));
        Check(p99 > options.HighP99Latency.TotalSeconds, string.Create(c, $"P99 {p99:0.0} s > {options.HighP99Latency.TotalSeconds:0.#} s"));
        if (crossed.Count > 0)
        {
            return new(DegradationMode.FallbackModel, IncidentSeverity.P1, Because());
        }

        Check(signals.SuccessRate < options.MediumSuccessRate, string.Create(c, $"success rate {Percent(signals.SuccessRate)} < {Percent(options.MediumSuccessRate)}"));
        Check(p99 > options.MediumP99Latency.TotalSeconds, string.Create(c, $"P99 {p99:0.0} s > {options.MediumP99Latency.TotalSeconds:0.#} s"));
        if (crossed.Count > 0)
        {
            return new(DegradationMode.CachedOnly, IncidentSeverity.P2, Because());
        }

        return new(DegradationMode.Normal, null, string.Create(c, $"healthy: success rate {Percent(signals.SuccessRate)}, hallucination rate {Percent(signals.HallucinationRate)}, P99 {p99:0.0} s over {signals.Requests} calls"));
    }

    /// <summary>Judges <paramref name="signals"/> now (the time provider's clock) and changes mode if due.</summary>
    /// <returns>The mode in force afterwards.</returns>
    public DegradationMode Assess(IncidentSignals signals) => Assess(signals, _time.GetUtcNow());

    /// <summary>
    /// Judges <paramref name="signals"/> as of <paramref name="now"/> and changes mode if due: a deeper mode at once,
    /// a lighter one once the signals called for lighter modes for the whole hold period. Under an override nothing changes.
    /// </summary>
    /// <returns>The mode in force afterwards.</returns>
    public DegradationMode Assess(IncidentSignals signals, DateTimeOffset now)
    {
        var judgement = Judge(signals, _options);
        lock (_gate)
        {
            if (_overridden)
            {
                return _mode;
            }

            if (judgement.Mode > _mode && (_mode == DegradationMode.Normal || HasFreshCalls(signals)))
            {
                Change(now, IncidentAction.Escalate, judgement.Mode, judgement.Severity, judgement.Reason);
                _seenAtChange = signals.CallsSeen;
            }
            else if (judgement.Mode > _mode)
            {
                // Degraded answers are left out of the window, so while degraded it holds only older calls: as the good
                // ones before the incident age out, its rate falls further without a single new failure. A deeper mode
                // needs calls made since the last change.
                _lighterSince = null;
            }
            else if (judgement.Mode == _mode)
            {
                _lighterSince = null;
            }
            else
            {
                if (_lighterSince is null || judgement.Mode >= _lighterPeak)
                {
                    _lighterPeak = judgement.Mode;
                    _lighterReason = judgement.Reason;
                }

                _lighterSince ??= now;
                var held = now - _lighterSince.Value;
                if (held >= _options.HoldPeriod)
                {
                    var reason = string.Create(CultureInfo.InvariantCulture, $"{IncidentLabels.Of(_lighterPeak)} or lighter called for {held.TotalSeconds:0} s: {_lighterReason}");
                    Change(now, IncidentAction.Recover, _lighterPeak, IncidentLabels.SeverityOf(_lighterPeak), reason);
                }
            }

            return _mode;
        }
    }

    /// <summary>Sets <paramref name="mode"/> by hand; the responder keeps it until <see cref="Release"/>.</summary>
    public void Override(DegradationMode mode, string reason)
    {
        _ = IncidentLabels.Of(mode); // validates
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        lock (_gate)
        {
            _overridden = true;
            Change(_time.GetUtcNow(), IncidentAction.Override, mode, IncidentLabels.SeverityOf(mode), reason);
        }
    }

    /// <summary>
    /// Ends a manual override: the mode stays as it is until the next assessment, which escalates at once or steps down
    /// after a full hold period. Nothing happens without an override.
    /// </summary>
    /// <returns>True when an override was released.</returns>
    public bool Release(string? reason = null)
    {
        lock (_gate)
        {
            if (!_overridden)
            {
                return false;
            }

            _overridden = false;
            _lighterSince = null;
            Append(new IncidentLogEntry(_time.GetUtcNow(), IncidentAction.Override, IncidentLabels.SeverityOf(_mode), _mode, _mode,
                string.IsNullOrWhiteSpace(reason) ? "override released" : $"override released: {reason}", Manual: false));
            return true;
        }
    }

    /// <summary>
    /// Restores the state a log ended in (at start, from the persisted log, oldest first): the last entry's mode and
    /// whether an override holds, with since and reason of the last change that was not a release. The entries become
    /// the in-memory log; nothing is logged anew. Nothing happens with no entries.
    /// </summary>
    public void Restore(IReadOnlyList<IncidentLogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            var last = entries[^1];
            var change = entries.LastOrDefault(e => !IsRelease(e)) ?? last;
            _mode = last.Mode;
            _overridden = last.Manual;
            _since = change.Timestamp;
            _reason = change.Reason;
            _lighterSince = null;
            _log.Clear();
            foreach (var entry in entries.TakeLast(_options.MaxLogEntries))
            {
                _log.Enqueue(entry);
            }
        }
    }

    private static bool IsRelease(IncidentLogEntry entry) => entry.Action == IncidentAction.Override && !entry.Manual;

    private static string Percent(double rate) => (rate * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private bool HasFreshCalls(IncidentSignals signals) =>
        signals.CallsSeen is not { } seen || _seenAtChange is not { } before || seen - before >= _options.MinRequests;

    private void Change(DateTimeOffset now, IncidentAction action, DegradationMode mode, IncidentSeverity? severity, string reason)
    {
        var from = _mode;
        _mode = mode;
        _since = now;
        _reason = reason;
        _lighterSince = null;
        Append(new IncidentLogEntry(now, action, severity, mode, from, reason, _overridden));
    }

    private void Append(IncidentLogEntry entry)
    {
        _log.Enqueue(entry);
        Logged?.Invoke(entry);
        while (_log.Count > _options.MaxLogEntries)
        {
            _log.Dequeue();
        }
    }
}
