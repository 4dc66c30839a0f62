using System.Text;
using Vigil.Records;

namespace Vigil.Evaluation.Online;

/// <summary>
/// Which interactions the online judge scores. Sampling is deterministic by trace_id, so several evaluators
/// (another Vigil, a Python job) that use the same rate score the same interactions: an interaction is sampled
/// when the 64-bit FNV-1a hash of its UTF-8 trace_id, mixed by SplitMix64's finalizer, top 53 bits read as a fraction
/// of 2⁵³, is below the rate. (FNV-1a alone barely moves its top bits for the last characters, so sequential ids such
/// as <c>req-1001</c>, <c>req-1002</c> would be sampled in runs rather than spread.)
/// Some interactions are always judged whatever the rate: those a user disliked (seed §5–§6).
/// </summary>
public sealed class EvaluationSampler
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>Creates a sampler.</summary>
    /// <param name="rate">The share of interactions judged, 0 to 1.</param>
    public EvaluationSampler(double rate)
    {
        if (!double.IsFinite(rate) || rate is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The sample rate must be from 0 to 1.");
        }

        Rate = rate;
    }

    /// <summary>The share of interactions judged.</summary>
    public double Rate { get; }

    /// <summary>Whether <paramref name="traceId"/> falls in the sample.</summary>
    public bool IsSampled(string traceId)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        return Fraction(traceId) < Rate;
    }

    /// <summary>The trace_id's place in [0, 1): the hash's top 53 bits over 2⁵³.</summary>
    public static double Fraction(string traceId)
    {
        ArgumentNullException.ThrowIfNull(traceId);
        Span<byte> buffer = stackalloc byte[512];
        var bytes = Encoding.UTF8.GetByteCount(traceId) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(traceId, buffer)] : Encoding.UTF8.GetBytes(traceId);
        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }

        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return (hash >> 11) / (double)(1UL << 53);
    }

    /// <summary>
    /// Whether a feedback says the user disliked the answer: 👎, a rating or CSAT of 2 or less (1–5), an NPS of 6 or less
    /// (a detractor). Such an interaction is always judged.
    /// </summary>
    public static bool IsNegative(FeedbackRecord feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        return feedback.Value is { } value && feedback.Type switch
        {
            FeedbackType.Thumbs => value < 1,
            FeedbackType.Rating or FeedbackType.Csat => value <= 2,
            FeedbackType.Nps => value <= 6,
            _ => false,
        };
    }
}
