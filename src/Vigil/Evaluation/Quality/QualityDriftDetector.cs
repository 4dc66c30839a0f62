using Vigil.Drift;

namespace Vigil.Evaluation.Quality;

/// <summary>
/// Quality drift of one score (seed §6 step 1, built the way its pitfall 5 asks). The seed's detector pushed every
/// score into both its baseline and its recent window, so the baseline always held the recent scores and a drift
/// pulled the baseline along with it. Here the windows never overlap:
/// <list type="bullet">
/// <item>the <b>reference</b> is the first <see cref="QualityDriftOptions.ReferenceSize"/> scores (default 1000), kept as
/// running sums (Welford) and then frozen; <see cref="ResetReference"/> starts a new one from the next scores and
/// <see cref="PinReference"/> sets one (a known-good period, or one restored from a store);</item>
/// <item>the <b>detection</b> window is the most recent <see cref="QualityDriftOptions.DetectionSize"/> scores after
/// the reference (default 100), a ring buffer.</item>
/// </list>
/// Once both are full, z = (detection mean − reference mean) / SE with SE = s·√(1/n + 1/N): s the reference's sample
/// standard deviation, n and N the window sizes. The seed divides by s/√n alone; the 1/N term counts the reference
/// mean's own error, without which a stationary stream is flagged more often than alpha (5.6% instead of 4.6% at
/// N = 1000, n = 100). The p-value is two-sided normal. The rule: <b>drifting when p &lt; alpha and |z| is above the
/// warning band</b> (<see cref="QualityDriftOptions.WarningZ"/>, the seed's 2.0). At the default alpha 0.05 the band
/// decides (|z| &gt; 2.0, a false-alarm rate of 4.55% per look); a smaller alpha makes the test the stricter of the two.
/// Severity is the seed's band of |z| — critical above <see cref="QualityDriftOptions.CriticalZ"/> (3.0), warning
/// above 2.0 — and normal whenever the rule says no drift. Before both windows are full there is no z and no alarm.
/// A reference that barely varies (all 5s for safety, say) has s floored at √(3/N) score points, the rule-of-three
/// bound on the spread of a reference in which no score differed: one odd score in the detection window is then no
/// alarm, a few are. Memory is the ring buffer; each score costs O(1). Not thread-safe: <see cref="QualityDriftMonitor"/> locks.
/// Each look at the state is one test at its level (4.6% of looks on a stationary stream are flagged), but looking after
/// every score is many tests: over 1000 looks at a stationary stream most runs see some alarm (92% in a seeded
/// simulation), in short runs, since consecutive looks share 99 of 100 scores. That is why the seed's alert waits for
/// the score to stay above 2.0 for an hour; a sequential test (CUSUM) would be the next step.
/// </summary>
public sealed class QualityDriftDetector
{
    private readonly int _defaultReferenceSize;
    private readonly double _alpha;
    private readonly double _warningZ;
    private readonly double _criticalZ;
    private readonly double[] _window;

    private long _referenceSize;
    private long _referenceCount;
    private double _referenceMean;
    private double _referenceM2;
    private bool _referenceFrozen;

    private int _next;
    private int _count;
    private double _sum;
    private int _writesSinceResum;

    /// <summary>Creates a detector; <paramref name="options"/> are copied.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public QualityDriftDetector(QualityDriftOptions? options = null)
    {
        options ??= new QualityDriftOptions();
        options.Validate();
        _defaultReferenceSize = options.ReferenceSize;
        _referenceSize = options.ReferenceSize;
        _alpha = options.Alpha;
        _warningZ = options.WarningZ;
        _criticalZ = options.CriticalZ;
        _window = new double[options.DetectionSize];
    }

    /// <summary>The frozen reference; null while it is still filling.</summary>
    public QualityReference? Reference => _referenceFrozen ? new(_referenceCount, _referenceMean, ReferenceDeviation()) : null;

    /// <summary>Adds a score: to the reference while it fills, to the detection window after.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The score is not a finite number.</exception>
    public void Add(double score)
    {
        if (!double.IsFinite(score))
        {
            throw new ArgumentOutOfRangeException(nameof(score), score, "A score must be a finite number.");
        }

        if (!_referenceFrozen)
        {
            _referenceCount++;
            var delta = score - _referenceMean;
            _referenceMean += delta / _referenceCount;
            _referenceM2 += delta * (score - _referenceMean);
            _referenceFrozen = _referenceCount >= _referenceSize;
            return;
        }

        if (_count == _window.Length)
        {
            _sum -= _window[_next];
        }
        else
        {
            _count++;
        }

        _window[_next] = score;
        _sum += score;
        _next = _next + 1 == _window.Length ? 0 : _next + 1;
        if (++_writesSinceResum == _window.Length)
        {
            // Adding and subtracting for ever lets rounding creep in; once a lap, sum afresh (O(1) amortized).
            _writesSinceResum = 0;
            _sum = 0;
            for (var i = 0; i < _count; i++)
            {
                _sum += _window[i];
            }
        }
    }

    /// <summary>Forgets both windows: the next <see cref="QualityDriftOptions.ReferenceSize"/> scores form a new reference (after a deliberate change is accepted).</summary>
    public void ResetReference()
    {
        _referenceSize = _defaultReferenceSize;
        _referenceCount = 0;
        _referenceMean = 0;
        _referenceM2 = 0;
        _referenceFrozen = false;
        ClearDetection();
    }

    /// <summary>
    /// Freezes <paramref name="reference"/> as the reference. A reference that was still filling is dropped and the
    /// detection window starts empty; after a frozen one, the detection window is kept.
    /// </summary>
    /// <exception cref="ArgumentException">The reference has fewer than 2 scores or a value that is not finite.</exception>
    public void PinReference(QualityReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        reference.Validate();
        if (!_referenceFrozen)
        {
            ClearDetection();
        }

        _referenceSize = reference.Count;
        _referenceCount = reference.Count;
        _referenceMean = reference.Mean;
        _referenceM2 = reference.StandardDeviation * reference.StandardDeviation * (reference.Count - 1);
        _referenceFrozen = true;
    }

    /// <summary>The windows and, once both are full, the verdict. O(1).</summary>
    public QualityDriftState State()
    {
        var ready = _referenceFrozen && _count == _window.Length;
        double? detectionMean = _count > 0 ? _sum / _count : null;
        double? standardError = null, z = null, p = null;
        var drifting = false;
        var severity = DriftSeverity.Normal;
        var direction = QualityDriftDirection.None;
        if (ready)
        {
            var spread = Math.Max(ReferenceDeviation(), Math.Sqrt(3.0 / _referenceCount));
            standardError = spread * Math.Sqrt((1.0 / _count) + (1.0 / _referenceCount));
            z = (detectionMean!.Value - _referenceMean) / standardError.Value;
            p = NormalDistribution.TwoSidedPValue(z.Value);
            var magnitude = Math.Abs(z.Value);
            drifting = p < _alpha && magnitude > _warningZ;
            severity = !drifting ? DriftSeverity.Normal : magnitude > _criticalZ ? DriftSeverity.Critical : DriftSeverity.Warning;
            direction = z < 0 ? QualityDriftDirection.Degrading : z > 0 ? QualityDriftDirection.Improving : QualityDriftDirection.None;
        }

        return new QualityDriftState
        {
            ReferenceCount = _referenceCount,
            ReferenceSize = _referenceSize,
            ReferenceMean = _referenceCount > 0 ? _referenceMean : null,
            ReferenceStandardDeviation = _referenceCount > 1 ? ReferenceDeviation() : null,
            DetectionCount = _count,
            DetectionSize = _window.Length,
            DetectionMean = detectionMean,
            IsReady = ready,
            StandardError = standardError,
            ZScore = z,
            PValue = p,
            IsDrifting = drifting,
            Severity = severity,
            Direction = direction,
        };
    }

    private double ReferenceDeviation() => _referenceCount > 1 ? Math.Sqrt(Math.Max(0, _referenceM2) / (_referenceCount - 1)) : 0;

    private void ClearDetection()
    {
        _next = 0;
        _count = 0;
        _sum = 0;
        _writesSinceResum = 0;
    }
}
