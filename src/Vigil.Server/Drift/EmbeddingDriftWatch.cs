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
/// <para>
/// Four files: this one (its life and its intake from the ingest path), <c>.Loop</c> (the rounds: embedding queued
/// texts, running the detectors), <c>.Restore</c> (the sets rebuilt from the store at start) and <c>.Publishing</c>
/// (a round's gauges, and the typed figures <see cref="Describe"/> gives the report).
/// </para>
/// </remarks>
public sealed partial class EmbeddingDriftWatch : IHostedService, IIngestObserver, IReportContributor, IDisposable
{
    /// <summary>The <c>model</c> label of the gauges (the seed's).</summary>
    public const string ModelLabel = "default";

    /// <summary>
    /// Queued query texts are cut at this many characters: the model reads at most 256 word pieces, which ordinary
    /// text never stretches this far, and a huge query must not hold memory.
    /// </summary>
    public const int MaxTextLength = 4096;

    private const string DroppedMetricName = "vigil_embedding_drift_dropped_total";

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "An embedding of {Dimensions} dimensions was dropped: the watch's vectors have {Expected}. Vectors of another model cannot be compared; this is logged once.")]
    private static partial void LogDimensionMismatch(ILogger logger, int dimensions, int expected);

    /// <summary>A vector (the record's, not copied yet) or a query text.</summary>
    private readonly record struct Item(float[]? Vector, string? Text);
}
