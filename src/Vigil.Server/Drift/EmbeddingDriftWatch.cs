using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Vigil.Drift;
using Vigil.Embeddings;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Server.Ingest;
using Vigil.Server.Storage;

namespace Vigil.Server.Drift;

/// <summary>
/// Live embedding (topic) drift of the queries the collector stores: a reference set (the first
/// <see cref="EmbeddingDriftWatchOptions.ReferenceSize"/> embeddings seen, then frozen, or a pinned file) against the
/// most recent <see cref="EmbeddingDriftWatchOptions.CurrentSize"/>, compared every
/// <see cref="EmbeddingDriftWatchOptions.Interval"/> by the analyzer of <c>vigil drift</c>. Exported as
/// <c>embedding_drift_distance{model="default", metric}</c> and <c>llm_drift_score{model="default",
/// drift_type="embedding"|"topic"}</c>, and shown in the report's <c>drift</c> object (<see cref="Describe"/>).
/// </summary>
/// <remarks>
/// <para>
/// The ingest observer only copies: a record's embedding into the fixed buffers, or (with
/// <see cref="EmbeddingDriftWatchOptions.LocalModel"/>) its query, cut at <see cref="MaxTextLength"/> characters, into
/// a bounded queue. Embedding and the detectors run on the watch's own loop. Memory stays at N + M vectors and at most
/// N + M queued texts. Records whose vectors come from the other source, or have another dimension, are dropped and
/// counted (<c>vigil_embedding_drift_dropped_total{reason}</c>).
/// </para>
/// <para>
/// <c>embedding_drift_distance</c>: <c>cosine</c> = 1 − cosine similarity of the centroids; <c>euclidean</c> = the
/// distance between the centroids; <c>mmd</c> = the unbiased MMD²; <c>ks</c> = the share of dimensions whose corrected
/// KS p-value is below alpha (0..1). <c>llm_drift_score</c> = the highest <see cref="EmbeddingDriftScore"/> of the
/// methods run: below 1 no drift, 1 to 2 warning, 2 or more critical.
/// </para>
/// </remarks>
public sealed partial class EmbeddingDriftWatch : IHostedService, IIngestObserver, IDisposable
{
    /// <summary>The <c>model</c> label of the gauges (the seed's).</summary>
    public const string ModelLabel = "default";

    /// <summary>
    /// Queued query texts are cut at this many characters: the model reads at most 256 word pieces, which ordinary
    /// text never stretches this far, and a huge query must not hold memory.
    /// </summary>
    public const int MaxTextLength = 4096;

    private const string DroppedMetricName = "vigil_embedding_drift_dropped_total";
    private static readonly TimeSpan FutureSlack = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan FirstRestoreWindow = TimeSpan.FromMinutes(1);

    /// <summary>The most records the restore on start reads.</summary>
    internal const int MaxRestoreRecords = 250_000;

    private readonly EmbeddingDriftWatchOptions _options;
    private readonly DriftOptions _test;
    private readonly DriftMethods _methods;
    private readonly bool _pinned;
    private readonly IngestWriter? _writer;
    private readonly IVigilStore? _store;
    private readonly VigilMetrics? _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<IEmbeddingGenerator<string, Embedding<float>>>? _createLocalModel;
    private readonly Counter<long>? _dropped;
    private readonly CancellationTokenSource _stopping = new();

    private readonly Lock _gate = new();
    private readonly EmbeddingBuffers _buffers;
    private readonly List<string> _referenceTexts = [];
    private readonly Queue<string> _currentTexts = new();
    private readonly Dictionary<string, long> _droppedByReason = new(StringComparer.Ordinal);
    private EmbeddingSource? _source;
    private int _inFlightReference;
    private bool _warnedDimension;
    private string? _modelError;
    private long _analyzedVersion = -1;

    private IEmbeddingGenerator<string, Embedding<float>>? _localModel;
    private RunResult? _last;
    private Task? _loop;

    /// <summary>A watch that is off: it observes nothing and adds nothing to the report.</summary>
    internal EmbeddingDriftWatch(EmbeddingDriftWatchOptions options)
    {
        _options = options;
        _test = new DriftOptions();
        _time = TimeProvider.System;
        _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _buffers = new EmbeddingBuffers(2, 2, pinned: null);
    }

    /// <summary>A watch that is on, with validated settings.</summary>
    internal EmbeddingDriftWatch(
        EmbeddingDriftWatchOptions options, DriftOptions test, DriftMethods methods, EmbeddingSet? pinnedReference, string? pinnedModel,
        Func<IEmbeddingGenerator<string, Embedding<float>>>? createLocalModel,
        IngestWriter writer, IVigilStore store, VigilMetrics metrics, TimeProvider time, ILogger<EmbeddingDriftWatch> logger)
    {
        _options = options;
        _test = test;
        _methods = methods;
        _pinned = pinnedReference is not null;
        _createLocalModel = options.LocalModel ? createLocalModel : null;
        _writer = writer;
        _store = store;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _buffers = new EmbeddingBuffers(options.ReferenceSize, options.CurrentSize, pinnedReference);
        if (_createLocalModel is not null && string.Equals(pinnedModel, MiniLmEmbeddingGenerator.ModelId, StringComparison.Ordinal))
        {
            _source = EmbeddingSource.LocalModel;
        }

        _dropped = metrics.Meter.CreateCounter<long>(DroppedMetricName,
            description: "Records or queued texts the embedding drift watch did not use, by reason (queue_full, dimension, source, model_unavailable).");
    }

    /// <summary>True when the watch runs.</summary>
    public bool Enabled => _options.Enabled;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return;
        }

        await RestoreAsync(cancellationToken).ConfigureAwait(false);
        bool restored;
        lock (_gate)
        {
            restored = _buffers.Version > 0 || _referenceTexts.Count + _currentTexts.Count > 0;
        }

        _writer!.AddObserver(this);
        _loop = Task.Run(() => LoopAsync(runNow: restored, _stopping.Token), CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Frees the local model, if it was loaded.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        lock (_gate)
        {
            _localModel?.Dispose();
            _localModel = null;
        }
    }

    /// <inheritdoc />
    public void OnInteractionsStored(IReadOnlyList<InteractionRecord> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!Enabled)
        {
            return;
        }

        for (var i = 0; i < stored.Count; i++)
        {
            if (TryTake(stored[i]) is { } item)
            {
                Accept(item);
            }
        }
    }

    /// <summary>
    /// Adds to a report's <c>drift</c> object <c>embedding</c> — the watch: <c>is_drifting</c>, <c>severity</c> and
    /// <c>drift_score</c> over the methods (the <c>llm_drift_score</c> value), <c>drift_type</c>, <c>ready</c>,
    /// <c>source</c>, the sets' counts and sizes, <c>vectors_seen</c>, <c>pending_texts</c>, <c>dropped</c> by reason,
    /// <c>evaluated_at</c> — and one entry a method: <c>embedding_cosine</c>, <c>embedding_euclidean</c>,
    /// <c>embedding_mmd</c>, <c>embedding_ks</c>. A method's entry has the fields of <c>vigil drift --format json</c> for
    /// that method and <c>ready</c>, <c>drift_score</c>, <c>reference_count</c>, <c>current_count</c>,
    /// <c>vectors_seen</c>, <c>evaluated_at</c> of the last round; before the first round (the sets are not full yet)
    /// it is <c>{"is_drifting": false, "severity": "normal", "ready": false}</c> with the counts so far. Nothing is
    /// added when the watch is off.
    /// </summary>
    public DriftFigures Describe(DriftFigures drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        if (!Enabled)
        {
            return drift;
        }

        var last = Volatile.Read(ref _last);
        EmbeddingDriftFigures summary;
        lock (_gate)
        {
            summary = new EmbeddingDriftFigures
            {
                IsDrifting = last?.IsDrifting ?? false,
                Severity = last?.Severity ?? DriftSeverity.Normal,
                DriftScore = last?.Score,
                DriftType = DriftType(_source),
                Ready = last is not null,
                Source = _source switch { EmbeddingSource.Records => "records", EmbeddingSource.LocalModel => "local_model", _ => null },
                EmbeddingModel = _source == EmbeddingSource.LocalModel ? MiniLmEmbeddingGenerator.ModelId : null,
                Reference = _pinned ? "pinned" : "first_seen",
                ReferenceCount = _buffers.ReferenceCount,
                ReferenceSize = _buffers.ReferenceSize,
                CurrentCount = _buffers.CurrentCount,
                CurrentSize = _buffers.CurrentSize,
                Dimensions = _buffers.Dimensions == 0 ? null : _buffers.Dimensions,
                VectorsSeen = _buffers.Version,
                PendingTexts = _referenceTexts.Count + _currentTexts.Count + _inFlightReference,
                Dropped = new Dictionary<string, long>(_droppedByReason, StringComparer.Ordinal),
                EvaluatedAt = last?.EvaluatedAt,
                IntervalSeconds = _options.Interval.TotalSeconds,
                Error = _modelError,
            };
        }

        EmbeddingMethodFigures? Method(string method) =>
            !MethodNames(_methods).Contains(method) ? null
            : last?.Entries.TryGetValue(method, out var entry) == true ? entry
            : EmbeddingMethodFigures.NotReady(summary.ReferenceCount, summary.CurrentCount);
        return drift with
        {
            Embedding = summary,
            EmbeddingCosine = Method("cosine"),
            EmbeddingEuclidean = Method("euclidean"),
            EmbeddingMmd = Method("mmd"),
            EmbeddingKs = Method("ks"),
        };
    }

    /// <summary>Runs one round now: embeds the queued texts, then the detectors if the sets are full and changed.</summary>
    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await EmbedQueuedAsync(cancellationToken).ConfigureAwait(false);
        Analyze();
    }

    private async Task LoopAsync(bool runNow, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            // After a restore the first round runs at once, so a restart gives figures without waiting an interval.
            while (runNow || await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                runNow = false;
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed round is logged; the next one tries again.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogRoundFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task EmbedQueuedAsync(CancellationToken cancellationToken)
    {
        string[] reference, current;
        lock (_gate)
        {
            reference = [.. _referenceTexts];
            current = [.. _currentTexts];
            _referenceTexts.Clear();
            _currentTexts.Clear();
            _inFlightReference += reference.Length;
        }

        if (reference.Length + current.Length == 0)
        {
            return;
        }

        GeneratedEmbeddings<Embedding<float>>? embeddings = null;
        try
        {
            embeddings = await LocalModel().GenerateAsync([.. reference, .. current], cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (EmbeddingModelLoadException ex)
        {
            LogModelUnavailable(_logger, ex);
            lock (_gate)
            {
                _modelError = ex.Message;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogEmbeddingFailed(_logger, reference.Length + current.Length, ex);
        }
        finally
        {
            lock (_gate)
            {
                _inFlightReference -= reference.Length;
                if (embeddings is null)
                {
                    Drop("model_unavailable", reference.Length + current.Length);
                }
                else
                {
                    foreach (var embedding in embeddings)
                    {
                        AddVector(embedding.Vector.Span);
                    }
                }
            }
        }
    }

    private IEmbeddingGenerator<string, Embedding<float>> LocalModel()
    {
        lock (_gate)
        {
            if (_modelError is not null)
            {
                throw new EmbeddingModelLoadException(_modelError);
            }
        }

        // Loaded here, on the loop, the first time a text waits: a few seconds, never on the ingest path.
        var model = _localModel ?? _createLocalModel!();
        lock (_gate)
        {
            _localModel = model;
        }

        return model;
    }

    private void Analyze()
    {
        EmbeddingSet reference, current;
        long version;
        EmbeddingSource? source;
        lock (_gate)
        {
            if (!_buffers.Ready || _buffers.Version == _analyzedVersion)
            {
                return;
            }

            reference = _buffers.ReferenceSet();
            current = _buffers.CurrentSet();
            version = _buffers.Version;
            source = _source;
        }

        var report = EmbeddingDriftAnalyzer.Analyze(reference, current, _methods, _test);
        var evaluatedAt = _time.GetUtcNow();
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (report.Cosine is { } cosine)
        {
            scores["cosine"] = EmbeddingDriftScore.Of(cosine, _test);
        }

        if (report.Euclidean is { } euclidean)
        {
            scores["euclidean"] = EmbeddingDriftScore.Of(euclidean, _test);
        }

        if (report.Mmd is { } mmd)
        {
            scores["mmd"] = EmbeddingDriftScore.Of(mmd);
        }

        if (report.Ks is { } ks)
        {
            scores["ks"] = EmbeddingDriftScore.Of(ks);
        }

        // The fields of `vigil drift --format json`, keyed by method, with the run's context beside them.
        var entries = EmbeddingMethodFigures.Of(report, scores, reference.Count, current.Count, version, evaluatedAt);

        var severity = new[] { report.Cosine?.Severity, report.Euclidean?.Severity, report.Mmd?.Severity, report.Ks?.Severity }.Max() ?? DriftSeverity.Normal;
        var score = scores.Values.Max();

        // The gauges first: once the report shows a round, /metrics shows it too.
        Publish(report, score, source);
        Volatile.Write(ref _last, new RunResult(entries, severity != DriftSeverity.Normal, severity, score, evaluatedAt));
        lock (_gate)
        {
            _analyzedVersion = version;
        }

        LogRound(_logger, severity, score, reference.Count, current.Count);
    }

    private void Publish(DriftReport report, double score, EmbeddingSource? source)
    {
        var metrics = _metrics!;
        var model = new KeyValuePair<string, object?>(MetricTags.Model, ModelLabel);
        if (metrics.EmbeddingDriftDistance.Enabled)
        {
            void Set(string metric, double value) => metrics.EmbeddingDriftDistance.Record(value, model, new(MetricTags.Metric, metric));
            if (report.Cosine is { } cosine)
            {
                Set("cosine", cosine.Distance);
            }

            if (report.Euclidean is { } euclidean)
            {
                Set("euclidean", euclidean.Distance);
            }

            if (report.Mmd is { } mmd)
            {
                Set("mmd", mmd.Mmd2);
            }

            if (report.Ks is { } ks)
            {
                Set("ks", ks.DriftRatio);
            }
        }

        if (metrics.DriftScore.Enabled)
        {
            metrics.DriftScore.Record(score, model, new(MetricTags.DriftType, DriftType(source)));
        }
    }

    /// <summary>
    /// Rebuilds the sets from the store: the first embeddings of the span make the reference (unless pinned), the most
    /// recent after them the current set. The newest records are read first, in windows that double from a minute,
    /// so a busy store is read only about as far back as the current set needs. At most <see cref="MaxRestoreRecords"/>
    /// records are read in all, so that a store of records without embeddings cannot hold the start up.
    /// </summary>
    private async Task RestoreAsync(CancellationToken cancellationToken)
    {
        if (_options.RestoreSpan <= TimeSpan.Zero)
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var store = _store!;
        var now = _time.GetUtcNow();
        var from = now - _options.RestoreSpan;
        var to = now + FutureSlack;
        var read = 0;
        var referenceIds = new HashSet<string>(StringComparer.Ordinal);
        var referenceFull = _pinned;
        if (!_pinned)
        {
            await foreach (var record in store.ReadInteractionsAsync(from, to, cancellationToken).ConfigureAwait(false))
            {
                if (TryTake(record) is { } item && Accept(item))
                {
                    referenceIds.Add(record.TraceId);
                }

                if (ReferenceReserved() >= _buffers.ReferenceSize)
                {
                    referenceFull = true;
                    from = record.Timestamp;
                    break;
                }

                if (++read >= MaxRestoreRecords)
                {
                    break;
                }
            }
        }

        var windows = new List<Queue<Item>>();
        var need = referenceFull ? _buffers.CurrentSize : 0;
        var end = to;
        var length = FirstRestoreWindow;
        while (need > 0 && end > from && read < MaxRestoreRecords)
        {
            var start = end - length > from ? end - length : from;
            var newest = new Queue<Item>();
            await foreach (var record in store.ReadInteractionsAsync(start, end, cancellationToken).ConfigureAwait(false))
            {
                if (!referenceIds.Contains(record.TraceId) && TryTake(record) is { } item)
                {
                    newest.Enqueue(item);
                    if (newest.Count > need)
                    {
                        newest.Dequeue();
                    }
                }

                if (++read >= MaxRestoreRecords)
                {
                    break;
                }
            }

            windows.Add(newest);
            need -= newest.Count;
            end = start;
            length *= 2;
        }

        for (var i = windows.Count - 1; i >= 0; i--)
        {
            foreach (var item in windows[i])
            {
                Accept(item);
            }
        }

        int referenceCount, currentCount, texts;
        lock (_gate)
        {
            referenceCount = _buffers.ReferenceCount;
            currentCount = _buffers.CurrentCount;
            texts = _referenceTexts.Count + _currentTexts.Count;
        }

        LogRestored(_logger, referenceCount, currentCount, texts, read, clock.ElapsedMilliseconds, read >= MaxRestoreRecords ? " (the most it reads; older records were not read)" : string.Empty);
    }

    /// <summary>What the watch takes from a record (nothing is kept of the record itself), or null.</summary>
    private Item? TryTake(InteractionRecord record)
    {
        if (record.Embedding is { Length: > 0 } vector)
        {
            return new Item(vector, null);
        }

        if (_createLocalModel is not null && !string.IsNullOrWhiteSpace(record.Query))
        {
            var query = record.Query;
            return new Item(null, query.Length > MaxTextLength ? query[..MaxTextLength] : query);
        }

        return null;
    }

    private bool Accept(Item item)
    {
        var source = item.Vector is not null ? EmbeddingSource.Records : EmbeddingSource.LocalModel;
        lock (_gate)
        {
            _source ??= source;
            if (_source != source)
            {
                Drop("source", 1);
                return false;
            }

            if (item.Vector is { } vector)
            {
                return AddVector(vector);
            }

            if (_modelError is not null)
            {
                Drop("model_unavailable", 1);
                return false;
            }

            if (ReferenceReserved() < _buffers.ReferenceSize)
            {
                _referenceTexts.Add(item.Text!);
            }
            else
            {
                if (_currentTexts.Count == _buffers.CurrentSize)
                {
                    _currentTexts.Dequeue();
                    Drop("queue_full", 1);
                }

                _currentTexts.Enqueue(item.Text!);
            }

            return true;
        }
    }

    // Called under the gate.
    private bool AddVector(ReadOnlySpan<float> vector)
    {
        if (_buffers.TryAdd(vector))
        {
            return true;
        }

        Drop("dimension", 1);
        if (!_warnedDimension)
        {
            _warnedDimension = true;
            LogDimensionMismatch(_logger, vector.Length, _buffers.Dimensions);
        }

        return false;
    }

    // Called under the gate.
    private int ReferenceReserved() => _buffers.ReferenceCount + _referenceTexts.Count + _inFlightReference;

    // Called under the gate.
    private void Drop(string reason, int count)
    {
        if (count <= 0)
        {
            return;
        }

        _droppedByReason[reason] = _droppedByReason.GetValueOrDefault(reason) + count;
        _dropped?.Add(count, new KeyValuePair<string, object?>(MetricTags.Reason, reason));
    }

    private static string DriftType(EmbeddingSource? source) => source == EmbeddingSource.LocalModel ? "topic" : "embedding";

    private static IEnumerable<string> MethodNames(DriftMethods methods)
    {
        if (methods.HasFlag(DriftMethods.Cosine))
        {
            yield return "cosine";
        }

        if (methods.HasFlag(DriftMethods.Euclidean))
        {
            yield return "euclidean";
        }

        if (methods.HasFlag(DriftMethods.Mmd))
        {
            yield return "mmd";
        }

        if (methods.HasFlag(DriftMethods.Ks))
        {
            yield return "ks";
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedding drift restored from the store: {ReferenceCount} reference and {CurrentCount} current vectors, {Texts} texts to embed, from {Records} records read in {Milliseconds} ms{Note}.")]
    private static partial void LogRestored(ILogger logger, int referenceCount, int currentCount, int texts, int records, long milliseconds, string note);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Embedding drift: {Severity} (score {Score:F2}), {ReferenceCount} reference and {CurrentCount} current vectors.")]
    private static partial void LogRound(ILogger logger, DriftSeverity severity, double score, int referenceCount, int currentCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "An embedding drift round failed; the next one tries again.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The local embedding model could not be loaded; embedding drift from query text is off.")]
    private static partial void LogModelUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding {Count} queued texts failed; they are dropped.")]
    private static partial void LogEmbeddingFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An embedding of {Dimensions} dimensions was dropped: the watch's vectors have {Expected}. Vectors of another model cannot be compared; this is logged once.")]
    private static partial void LogDimensionMismatch(ILogger logger, int dimensions, int expected);

    /// <summary>A vector (the record's, not copied yet) or a query text.</summary>
    private readonly record struct Item(float[]? Vector, string? Text);

    /// <summary>The last round's result: the method entries for the report and the overall verdict.</summary>
    private sealed record RunResult(IReadOnlyDictionary<string, EmbeddingMethodFigures> Entries, bool IsDrifting, DriftSeverity Severity, double Score, DateTimeOffset EvaluatedAt);
}
