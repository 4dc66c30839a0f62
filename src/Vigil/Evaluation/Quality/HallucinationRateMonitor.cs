using Vigil.Records;

namespace Vigil.Evaluation.Quality;

/// <summary>
/// The hallucination rate over the last N verdicts (seed §6 <c>HallucinationRateMonitor</c>, default 500), overall and
/// by severity. A ring buffer of one byte per verdict and four running counts: O(1) per verdict, O(1) to read.
/// The severity comes from the verdict's faithfulness (<see cref="VerdictRules.SeverityOf(EvaluationRecord)"/>). Counting into
/// <c>llm_hallucination_detected_total</c> is left to whoever makes the verdict, so it is counted once. Thread-safe.
/// </summary>
public sealed class HallucinationRateMonitor
{
    /// <summary>The seed's window.</summary>
    public const int DefaultWindowSize = 500;

    private const byte NoHallucination = 0;
    private readonly Lock _gate = new();
    private readonly byte[] _window;
    private readonly int[] _counts = new int[4]; // none, low, medium, high
    private int _next;
    private int _total;

    /// <summary>Creates a monitor of the last <paramref name="windowSize"/> verdicts.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The window is not from 1 to 100000000.</exception>
    public HallucinationRateMonitor(int windowSize = DefaultWindowSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(windowSize, 100_000_000);
        _window = new byte[windowSize];
    }

    /// <summary>The number of verdicts the window holds when full.</summary>
    public int WindowSize => _window.Length;

    /// <summary>Records <paramref name="evaluation"/>'s verdict.</summary>
    public void Record(EvaluationRecord evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        Record(VerdictRules.SeverityOf(evaluation));
    }

    /// <summary>Records a verdict: a hallucination of <paramref name="severity"/>, or none when null.</summary>
    public void Record(HallucinationSeverity? severity)
    {
        var code = severity switch
        {
            null => NoHallucination,
            HallucinationSeverity.Low => (byte)1,
            HallucinationSeverity.Medium => (byte)2,
            HallucinationSeverity.High => (byte)3,
            _ => throw new ArgumentOutOfRangeException(nameof(severity), severity, "not a hallucination severity"),
        };
        lock (_gate)
        {
            if (_total == _window.Length)
            {
                _counts[_window[_next]]--;
            }
            else
            {
                _total++;
            }

            _window[_next] = code;
            _counts[code]++;
            _next = _next + 1 == _window.Length ? 0 : _next + 1;
        }
    }

    /// <summary>The rate now.</summary>
    public HallucinationRate Current()
    {
        lock (_gate)
        {
            return new HallucinationRate(_total, _counts[1], _counts[2], _counts[3]);
        }
    }
}
