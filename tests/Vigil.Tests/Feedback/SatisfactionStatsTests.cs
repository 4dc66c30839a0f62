using Vigil.Feedback;
using Vigil.Records;

namespace Vigil.Tests.Feedback;

public sealed class SatisfactionStatsTests
{
    [Fact]
    public void Figures_FollowTheSeedsDefinitions()
    {
        var stats = new SatisfactionStats();
        foreach (var v in new[] { 1, 1, 1, 0 })
        {
            stats.Add(new FeedbackRecord { Type = FeedbackType.Thumbs, TraceId = "t", Value = v });
        }

        foreach (var v in new[] { 5, 4, 2 })
        {
            stats.Add(new FeedbackRecord { Type = FeedbackType.Csat, Value = v });
        }

        foreach (var v in new[] { 10, 9, 8, 6, 0 })
        {
            stats.Add(new FeedbackRecord { Type = FeedbackType.Nps, Value = v });
        }

        stats.Add(new FeedbackRecord { Type = FeedbackType.Rating, TraceId = "t", Value = 3 });

        Assert.Equal(13, stats.Total);
        Assert.Equal(0.75, stats.ThumbsUpRate);
        Assert.Equal(11.0 / 3, stats.AverageCsat!.Value, 12);
        Assert.Equal(200.0 / 3, stats.CsatSatisfiedPercent!.Value, 12);
        Assert.Equal(0, stats.Nps); // 2 promoters - 2 detractors of 5
        Assert.Equal(3, stats.AverageRating);
    }

    [Fact]
    public void Figures_WithoutData_AreNull()
    {
        var stats = new SatisfactionStats();

        Assert.Null(stats.ThumbsUpRate);
        Assert.Null(stats.AverageCsat);
        Assert.Null(stats.CsatSatisfiedPercent);
        Assert.Null(stats.Nps);
        Assert.Null(stats.AverageRating);
    }

    [Theory]
    [InlineData(new[] { 9, 10, 10 }, 100)]
    [InlineData(new[] { 0, 6, 3 }, -100)]
    [InlineData(new[] { 9, 7, 7 }, 33)]
    [InlineData(new[] { 9, 9, 0 }, 33)]
    public void Nps_IsPromotersMinusDetractorsInPercent(int[] scores, int nps)
    {
        var stats = new SatisfactionStats();
        foreach (var score in scores)
        {
            stats.Add(new FeedbackRecord { Type = FeedbackType.Nps, Value = score });
        }

        Assert.Equal(nps, stats.Nps);
    }
}
