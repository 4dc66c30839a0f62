using Vigil.Evaluation.Judge;

namespace Vigil.Tests.Evaluation.Judge;

public sealed class JudgeBatchSummaryTests
{
    [Fact]
    public void Empty_FiguresWithoutDataAreNull()
    {
        var summary = new JudgeBatchSummary();

        Assert.Equal(0, summary.Evaluated);
        Assert.Null(summary.Average(JudgeDimensions.Overall));
        Assert.Null(summary.HallucinationRate);
    }

    [Fact]
    public void Add_VerdictsAndErrors_GiveTheSeedsBatchFigures()
    {
        var summary = new JudgeBatchSummary();
        summary.Add(Verdicts.Of(5, 5, true));
        summary.Add(Verdicts.Of(2, 1, false));
        summary.Add(Verdicts.Of(4, 3, false));
        summary.Add(Verdicts.Of(3, 4.5, true));
        summary.Add(new JudgeError(JudgeErrorKind.Timeout, "slow"));
        summary.Add(new JudgeError(JudgeErrorKind.InvalidReply, "prose"));
        summary.Add(new JudgeError(JudgeErrorKind.Timeout, "slow"));

        Assert.Equal(4, summary.Evaluated);
        Assert.Equal((5 + 2 + 4 + 3) / 4.0, summary.Average(JudgeDimensions.Overall));
        Assert.Equal((5 + 1 + 3 + 4.5) / 4.0, summary.Average(JudgeDimensions.Faithfulness));
        Assert.Equal(0.5, summary.HallucinationRate);
        Assert.Equal(1, summary.LowQuality);   // overall ≤ 2
        Assert.Equal(2, summary.HighQuality);  // overall ≥ 4
        Assert.Equal(3, summary.Errors);
        Assert.Equal(new Dictionary<string, long> { ["invalid_reply"] = 1, ["timeout"] = 2 }, summary.ErrorsByReason);
        Assert.Throws<ArgumentOutOfRangeException>(() => summary.Average("helpfulness"));
    }
}
