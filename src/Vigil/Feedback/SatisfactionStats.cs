using Vigil.Records;

namespace Vigil.Feedback;

/// <summary>The seed's satisfaction figures (§5): 👍 rate, ratings, CSAT, NPS, counts.</summary>
public sealed class SatisfactionStats
{
    /// <summary>All feedback records.</summary>
    public long Total { get; private set; }
    /// <summary>👍.</summary>
    public long ThumbsUp { get; private set; }
    /// <summary>👎.</summary>
    public long ThumbsDown { get; private set; }
    /// <summary>Ratings.</summary>
    public long Ratings { get; private set; }
    /// <summary>Sum of ratings.</summary>
    public double RatingSum { get; private set; }
    /// <summary>CSAT answers.</summary>
    public long CsatAnswers { get; private set; }
    /// <summary>Sum of CSAT answers.</summary>
    public double CsatSum { get; private set; }
    /// <summary>CSAT answers of 4 or 5.</summary>
    public long CsatSatisfied { get; private set; }
    /// <summary>NPS 9–10.</summary>
    public long Promoters { get; private set; }
    /// <summary>NPS 7–8.</summary>
    public long Passives { get; private set; }
    /// <summary>NPS 0–6.</summary>
    public long Detractors { get; private set; }
    /// <summary>Text comments.</summary>
    public long Texts { get; private set; }

    /// <summary>👍 share of thumbs, 0..1; null without thumbs.</summary>
    public double? ThumbsUpRate => ThumbsUp + ThumbsDown > 0 ? (double)ThumbsUp / (ThumbsUp + ThumbsDown) : null;
    /// <summary>Average rating; null without ratings.</summary>
    public double? AverageRating => Ratings > 0 ? RatingSum / Ratings : null;
    /// <summary>Average CSAT; null without answers.</summary>
    public double? AverageCsat => CsatAnswers > 0 ? CsatSum / CsatAnswers : null;
    /// <summary>Share of CSAT answers of 4 or 5, in percent; null without answers.</summary>
    public double? CsatSatisfiedPercent => CsatAnswers > 0 ? 100.0 * CsatSatisfied / CsatAnswers : null;
    /// <summary>NPS, −100..100, rounded; null without answers.</summary>
    public int? Nps
    {
        get
        {
            var answers = Promoters + Passives + Detractors;
            return answers > 0 ? (int)Math.Round(100.0 * (Promoters - Detractors) / answers, MidpointRounding.AwayFromZero) : null;
        }
    }

    /// <summary>Adds (sign 1) or removes (sign −1) one feedback.</summary>
    public void Add(FeedbackRecord feedback, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        Total += sign;
        var value = feedback.Value ?? 0;
        switch (feedback.Type)
        {
            case FeedbackType.Thumbs when value >= 1:
                ThumbsUp += sign;
                break;
            case FeedbackType.Thumbs:
                ThumbsDown += sign;
                break;
            case FeedbackType.Rating:
                Ratings += sign;
                RatingSum += sign * value;
                break;
            case FeedbackType.Csat:
                CsatAnswers += sign;
                CsatSum += sign * value;
                if (value >= 4)
                {
                    CsatSatisfied += sign;
                }

                break;
            case FeedbackType.Nps when value >= 9:
                Promoters += sign;
                break;
            case FeedbackType.Nps when value >= 7:
                Passives += sign;
                break;
            case FeedbackType.Nps:
                Detractors += sign;
                break;
            default:
                Texts += sign;
                break;
        }
    }

    /// <summary>Adds every figure of <paramref name="other"/>.</summary>
    public void Merge(SatisfactionStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Total += other.Total;
        ThumbsUp += other.ThumbsUp;
        ThumbsDown += other.ThumbsDown;
        Ratings += other.Ratings;
        RatingSum += other.RatingSum;
        CsatAnswers += other.CsatAnswers;
        CsatSum += other.CsatSum;
        CsatSatisfied += other.CsatSatisfied;
        Promoters += other.Promoters;
        Passives += other.Passives;
        Detractors += other.Detractors;
        Texts += other.Texts;
    }

    /// <summary>The <c>user_feedback_total</c> feedback_type label of a feedback (seed §5).</summary>
    public static string FeedbackTypeLabel(FeedbackRecord feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var value = feedback.Value ?? 0;
        return feedback.Type switch
        {
            FeedbackType.Thumbs => value >= 1 ? "thumbs_up" : "thumbs_down",
            FeedbackType.Nps => value >= 9 ? "nps_promoter" : value >= 7 ? "nps_passive" : "nps_detractor",
            _ => WireNames.FeedbackType.Of(feedback.Type), // rating, csat, text
        };
    }
}
