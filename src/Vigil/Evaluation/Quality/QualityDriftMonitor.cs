using Vigil.Metrics;
using Vigil.Records;

namespace Vigil.Evaluation.Quality;

/// <summary>
/// Quality drift of one monitored model: one <see cref="QualityDriftDetector"/> per dimension of the judge's rubric,
/// fed with evaluation records, and the gauge <c>llm_drift_score{model, drift_type="quality_&lt;dimension&gt;"}</c> = |z|.
/// Thread-safe.
/// </summary>
public sealed class QualityDriftMonitor
{
    private readonly Lock _gate = new();
    private readonly QualityDriftDetector[] _detectors;
    private readonly bool[] _published;
    private readonly VigilMetrics? _metrics;
    private readonly KeyValuePair<string, object?> _modelTag;

    /// <summary>Creates a monitor.</summary>
    /// <param name="model">The monitored model's <c>model</c> label (already guarded, e.g. by the collector's label guard); the seed's default is <c>default</c>.</param>
    /// <param name="options">The windows and the test; <see cref="QualityDriftOptions"/>' defaults when null.</param>
    /// <param name="metrics">When set, every <see cref="Add"/> also updates the gauge (<see cref="PublishMetrics"/>).</param>
    /// <exception cref="ArgumentException">The model is empty or an option is out of range.</exception>
    public QualityDriftMonitor(string model = "default", QualityDriftOptions? options = null, VigilMetrics? metrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        Model = model;
        _modelTag = new(MetricTags.Model, model);
        _metrics = metrics;
        _detectors = new QualityDriftDetector[QualityDimensions.All.Count];
        for (var i = 0; i < _detectors.Length; i++)
        {
            _detectors[i] = new QualityDriftDetector(options);
        }

        _published = new bool[_detectors.Length];
    }

    /// <summary>The monitored model's label.</summary>
    public string Model { get; }

    /// <summary>True when any dimension is drifting.</summary>
    public bool IsDrifting
    {
        get
        {
            lock (_gate)
            {
                return _detectors.Any(d => d.State().IsDrifting);
            }
        }
    }

    /// <summary>Adds every score of <paramref name="evaluation"/> to its dimension's detector.</summary>
    /// <exception cref="ArgumentException">A score is not a number from 1 to 5 (nothing is added then).</exception>
    public void Add(EvaluationRecord evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        foreach (var dimension in QualityDimensions.All)
        {
            var score = QualityDimensions.Score(evaluation, dimension);
            if (!double.IsFinite(score) || score < 1 || score > 5)
            {
                throw new ArgumentException($"{QualityDimensions.Name(dimension)} must be a number from 1 to 5, not {score}.", nameof(evaluation));
            }
        }

        lock (_gate)
        {
            foreach (var dimension in QualityDimensions.All)
            {
                _detectors[(int)dimension].Add(QualityDimensions.Score(evaluation, dimension));
            }
        }

        if (_metrics is not null)
        {
            PublishMetrics(_metrics);
        }
    }

    /// <summary>The state of <paramref name="dimension"/>'s detector.</summary>
    public QualityDriftState State(QualityDimension dimension)
    {
        var detector = Detector(dimension);
        lock (_gate)
        {
            return detector.State();
        }
    }

    /// <summary>The state of every dimension, in <see cref="QualityDimensions.All"/> order.</summary>
    public IReadOnlyDictionary<QualityDimension, QualityDriftState> States()
    {
        lock (_gate)
        {
            return QualityDimensions.All.ToDictionary(d => d, d => _detectors[(int)d].State());
        }
    }

    /// <summary>The frozen reference of <paramref name="dimension"/>; null while it fills.</summary>
    public QualityReference? Reference(QualityDimension dimension)
    {
        var detector = Detector(dimension);
        lock (_gate)
        {
            return detector.Reference;
        }
    }

    /// <summary>Starts new references for every dimension from the next scores (<see cref="QualityDriftDetector.ResetReference"/>).</summary>
    public void ResetReference()
    {
        lock (_gate)
        {
            foreach (var detector in _detectors)
            {
                detector.ResetReference();
            }
        }
    }

    /// <summary>Pins <paramref name="reference"/> for <paramref name="dimension"/> (<see cref="QualityDriftDetector.PinReference"/>).</summary>
    /// <exception cref="ArgumentException">The reference is invalid.</exception>
    public void PinReference(QualityDimension dimension, QualityReference reference)
    {
        var detector = Detector(dimension);
        lock (_gate)
        {
            detector.PinReference(reference);
        }
    }

    /// <summary>
    /// Sets <c>llm_drift_score{model, drift_type="quality_&lt;dimension&gt;"}</c> to |z| for each dimension whose
    /// windows are full. A dimension not ready is left out until it has been published once; after that (a reference
    /// reset) it is set to 0 — no evidence of drift — rather than left at its old value.
    /// </summary>
    public void PublishMetrics(VigilMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (!metrics.DriftScore.Enabled)
        {
            return;
        }

        Span<double> scores = stackalloc double[_detectors.Length];
        Span<bool> publish = stackalloc bool[_detectors.Length];
        lock (_gate)
        {
            for (var i = 0; i < _detectors.Length; i++)
            {
                var score = _detectors[i].State().DriftScore;
                publish[i] = score is not null || _published[i];
                scores[i] = score ?? 0;
                _published[i] |= publish[i];
            }
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (publish[i])
            {
                metrics.DriftScore.Record(scores[i], _modelTag, new(MetricTags.DriftType, QualityDimensions.DriftType((QualityDimension)i)));
            }
        }
    }

    private QualityDriftDetector Detector(QualityDimension dimension) =>
        (uint)dimension < (uint)_detectors.Length
            ? _detectors[(int)dimension]
            : throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "not a quality dimension");
}
