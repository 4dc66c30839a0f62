using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Vigil.Classification;
using Vigil.Costs;
using Vigil.Evaluation;
using Vigil.Feedback;
using Vigil.Records;
using Vigil.Slo;

namespace Vigil.Reports;

/// <summary>
/// Every figure of the health report summed over a set of records: SLO stats per dimension, errors,
/// tokens, cost, cache, satisfaction, quality. Records can be added, removed (a replaced interaction) and
/// aggregates merged, so windows, files and store scans all compute with this one class.
/// Dimension keys are capped per kind; past the cap values fold into <c>kind:other</c>.
/// </summary>
public sealed class SignalAggregate
{
    /// <summary>The key of the all-traffic dimension.</summary>
    public const string GlobalKey = "global";

    private readonly int _maxKeysPerKind;
    private readonly Dictionary<string, int> _keysPerKind = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _keyCache = new(StringComparer.Ordinal);

    // Per dimension kind, a value's stats (its key folded into kind:other past the cap): one lookup per record.
    private readonly Dictionary<string, SloStats> _modelStats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SloStats> _featureStats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SloStats> _tierStats = new(StringComparer.Ordinal);
    private SloStats? _global;

    /// <summary>Creates an empty aggregate.</summary>
    /// <param name="maxKeysPerKind">Dimension values kept per kind.</param>
    /// <param name="maxUsers">Users kept by name in the cost ledger (see <see cref="CostLedger.Users"/>).</param>
    public SignalAggregate(int maxKeysPerKind = 200, int maxUsers = CostLedger.DefaultMaxUsers)
    {
        _maxKeysPerKind = maxKeysPerKind;
        Cost = new CostLedger(maxUsers);
    }

    /// <summary>SLO stats keyed <c>global</c>, <c>model:…</c>, <c>feature:…</c>, <c>user_tier:…</c>.</summary>
    public Dictionary<string, SloStats> Sla { get; } = new(StringComparer.Ordinal);

    /// <summary>Interactions per error key (hard and soft categories, <c>bad_request</c>).</summary>
    public Dictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Answers by degradation mode other than none.</summary>
    public Dictionary<string, long> Degradations { get; } = new(StringComparer.Ordinal);

    /// <summary>Input tokens (cached included).</summary>
    public long InputTokens { get; private set; }
    /// <summary>Output tokens.</summary>
    public long OutputTokens { get; private set; }
    /// <summary>Cached input tokens.</summary>
    public long CachedTokens { get; private set; }
    /// <summary>Response cache hits.</summary>
    public long CacheHits { get; private set; }
    /// <summary>Response cache misses.</summary>
    public long CacheMisses { get; private set; }

    /// <summary>Costs.</summary>
    public CostLedger Cost { get; }
    /// <summary>User feedback.</summary>
    public SatisfactionStats Satisfaction { get; } = new();
    /// <summary>Judge verdicts.</summary>
    public QualityStats Quality { get; } = new();

    /// <summary>Earliest interaction timestamp added (not un-counted by removal).</summary>
    public DateTimeOffset? FirstTimestamp { get; private set; }
    /// <summary>Latest interaction timestamp added (not un-counted by removal).</summary>
    public DateTimeOffset? LastTimestamp { get; private set; }

    /// <summary>Adds (sign 1) or removes (sign −1) a normalized interaction.</summary>
    public void Add(InteractionRecord record, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(record);
        var figures = InteractionFigures.Of(record);
        Add(in figures, sign);
    }

    /// <summary>
    /// Adds (sign 1) or removes (sign −1) the figures of a normalized interaction: the one path every interaction
    /// takes, from a record (windows, store scans) or read straight from a line (<c>vigil report</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(in InteractionFigures figures, int sign = 1)
    {
        var success = figures.Status == InteractionStatus.Success;
        var good = success && figures.ErrorType is null;
        var latency = QuantileSketch.IndexOf(figures.LatencyMs);
        int? ttft = figures.TtftMs is { } t ? QuantileSketch.IndexOf(t) : null;
        (_global ??= Stats(GlobalKey)).AddAtIndex(success, good, latency, ttft, sign);
        Stats(_modelStats, "model:", figures.Model).AddAtIndex(success, good, latency, ttft, sign);
        Stats(_featureStats, "feature:", figures.Feature).AddAtIndex(success, good, latency, ttft, sign);
        Stats(_tierStats, "user_tier:", figures.UserTier).AddAtIndex(success, good, latency, ttft, sign);

        if (ErrorKeys.Of(figures.Status, figures.ErrorType) is { } errorKey)
        {
            Bump(Errors, errorKey, sign);
        }

        if (figures.Degradation != Degradation.None)
        {
            Bump(Degradations, DegradationLabels.Of(figures.Degradation), sign);
        }

        InputTokens += sign * (figures.InputTokens ?? 0);
        OutputTokens += sign * (figures.OutputTokens ?? 0);
        CachedTokens += sign * (figures.CachedTokens ?? 0);
        if (figures.Cache == CacheOutcome.Hit)
        {
            CacheHits += sign;
        }
        else if (figures.Cache == CacheOutcome.Miss)
        {
            CacheMisses += sign;
        }

        Cost.Add(figures.CostUsd ?? 0m, figures.Model, figures.Feature, figures.UserTier, figures.UserId, figures.Timestamp, sign);
        if (sign > 0)
        {
            FirstTimestamp = FirstTimestamp is { } first && first <= figures.Timestamp ? first : figures.Timestamp;
            LastTimestamp = LastTimestamp is { } last && last >= figures.Timestamp ? last : figures.Timestamp;
        }
    }

    /// <summary>Sets the range of interaction timestamps (when removals made the summed one wrong).</summary>
    internal void SetTimestamps(DateTimeOffset? first, DateTimeOffset? last)
    {
        FirstTimestamp = first;
        LastTimestamp = last;
    }

    /// <summary>Adds (sign 1) or removes (sign −1) a feedback.</summary>
    public void Add(FeedbackRecord feedback, int sign = 1) => Satisfaction.Add(feedback, sign);

    /// <summary>Adds (sign 1) or removes (sign −1) a verdict.</summary>
    public void Add(EvaluationRecord evaluation, int sign = 1) => Quality.Add(evaluation, sign);

    /// <summary>Adds every figure of <paramref name="other"/>.</summary>
    public void Merge(SignalAggregate other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (key, stats) in other.Sla)
        {
            var kind = key.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 ? key[..(colon + 1)] : null;
            Stats(kind is null ? key : Key(kind, key[kind.Length..])).Merge(stats);
        }

        foreach (var (key, count) in other.Errors)
        {
            Bump(Errors, key, count);
        }

        foreach (var (key, count) in other.Degradations)
        {
            Bump(Degradations, key, count);
        }

        InputTokens += other.InputTokens;
        OutputTokens += other.OutputTokens;
        CachedTokens += other.CachedTokens;
        CacheHits += other.CacheHits;
        CacheMisses += other.CacheMisses;
        Cost.Merge(other.Cost);
        Satisfaction.Merge(other.Satisfaction);
        Quality.Merge(other.Quality);
        if (other.FirstTimestamp is { } first && (FirstTimestamp is null || first < FirstTimestamp))
        {
            FirstTimestamp = first;
        }

        if (other.LastTimestamp is { } last && (LastTimestamp is null || last > LastTimestamp))
        {
            LastTimestamp = last;
        }
    }

    private SloStats Stats(string key)
    {
        if (!Sla.TryGetValue(key, out var stats))
        {
            stats = new SloStats();
            Sla[key] = stats;
        }

        return stats;
    }

    private SloStats Stats(Dictionary<string, SloStats> byValue, string kind, string value)
    {
        if (byValue.TryGetValue(value, out var stats))
        {
            return stats;
        }

        stats = Stats(Key(kind, value));
        if (byValue.Count < _maxKeysPerKind * 4)
        {
            byValue[value] = stats;
        }

        return stats;
    }

    private string Key(string kind, string value)
    {
        // The key strings are cached per kind and value: no allocation per record.
        if (!_keyCache.TryGetValue(kind, out var cache))
        {
            cache = new Dictionary<string, string>(StringComparer.Ordinal);
            _keyCache[kind] = cache;
        }

        if (cache.TryGetValue(value, out var cached))
        {
            return cached;
        }

        var key = NewKey(kind, value);
        if (cache.Count < _maxKeysPerKind * 4)
        {
            cache[value] = key;
        }

        return key;
    }

    private string NewKey(string kind, string value)
    {
        var key = string.Concat(kind, value);
        if (Sla.ContainsKey(key))
        {
            return key;
        }

        _keysPerKind.TryGetValue(kind, out var count);
        if (count >= _maxKeysPerKind)
        {
            return string.Concat(kind, "other");
        }

        _keysPerKind[kind] = count + 1;
        return key;
    }

    private static void Bump(Dictionary<string, long> map, string key, long amount) =>
        CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _) += amount;
}
