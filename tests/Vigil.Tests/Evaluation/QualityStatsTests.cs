using Vigil.Evaluation;
using Vigil.Evaluation.Quality;

namespace Vigil.Tests.Evaluation;

public sealed class QualityStatsTests
{
    [Fact]
    public void Average_NoVerdicts_IsNull()
    {
        var stats = new QualityStats();

        Assert.Null(stats.AverageOverall);
        Assert.Null(stats.Average(QualityDimension.Relevance));
        Assert.Null(stats.HallucinationRate);
    }

    [Fact]
    public void Add_Verdicts_SumsEveryScoreAndCountsByTheRules()
    {
        var stats = new QualityStats();
        stats.Add(Verdicts.Of(overall: 5, faithfulness: 5, hallucination: true));
        stats.Add(Verdicts.Of(overall: 2, faithfulness: 1, hallucination: false));
        stats.Add(Verdicts.Of(overall: 4, faithfulness: 3, hallucination: false));
        stats.Add(Verdicts.Of(overall: 3, faithfulness: 4.5, hallucination: true));

        Assert.Equal(4, stats.Evaluated);
        Assert.Equal(14, stats.OverallSum);
        Assert.Equal(14 / 4.0, stats.AverageOverall);
        Assert.Equal(13.5 / 4.0, stats.Average(QualityDimension.Faithfulness));
        Assert.Equal(Verdicts.Relevance, stats.Average(QualityDimension.Relevance));
        Assert.Equal(4 * Verdicts.Safety, stats.Sum(QualityDimension.Safety));
        Assert.Equal(0.5, stats.HallucinationRate);
        Assert.Equal(1, stats.LowQuality);
        Assert.Equal(2, stats.HighQuality);
    }

    [Fact]
    public void AddWithSignMinusOne_AddedVerdict_TakesItOutAgain()
    {
        var stats = new QualityStats();
        var kept = Verdicts.Of(overall: 4, faithfulness: 4, hallucination: false);
        var replaced = Verdicts.Of(overall: 1, faithfulness: 2, hallucination: true);
        stats.Add(kept);
        stats.Add(replaced);

        stats.Add(replaced, sign: -1);

        Assert.Equal(1, stats.Evaluated);
        Assert.Equal(0, stats.Hallucinations);
        Assert.Equal(0, stats.LowQuality);
        Assert.Equal(1, stats.HighQuality);
        Assert.Equal(4, stats.Average(QualityDimension.Faithfulness));
    }

    [Fact]
    public void Merge_TwoHalves_EqualsOneSumOfAll()
    {
        var verdicts = Enumerable.Range(0, 40)
            .Select(i => Verdicts.Of(overall: 1 + (i % 9 / 2.0), faithfulness: 1 + (i % 5), hallucination: i % 3 == 0))
            .ToList();
        var all = new QualityStats();
        var first = new QualityStats();
        var second = new QualityStats();
        for (var i = 0; i < verdicts.Count; i++)
        {
            all.Add(verdicts[i]);
            (i < 17 ? first : second).Add(verdicts[i]);
        }

        first.Merge(second);

        Assert.Equal(all.Evaluated, first.Evaluated);
        Assert.Equal(all.Hallucinations, first.Hallucinations);
        Assert.Equal(all.LowQuality, first.LowQuality);
        Assert.Equal(all.HighQuality, first.HighQuality);
        foreach (var dimension in QualityDimensions.All)
        {
            Assert.Equal(all.Sum(dimension), first.Sum(dimension), 9);
        }
    }
}
