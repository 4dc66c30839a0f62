using Vigil.Evaluation;
using Vigil.Evaluation.Quality;

namespace Vigil.Tests.Evaluation;

public sealed class VerdictRulesTests
{
    [Theory]
    [InlineData(1.0, true, false)]
    [InlineData(2.0, true, false)]
    [InlineData(2.01, false, false)]
    [InlineData(3.5, false, false)]
    [InlineData(4.0, false, true)]
    [InlineData(5.0, false, true)]
    public void IsLowQualityAndIsHighQuality_Score_AreTheSeedsBounds(double score, bool low, bool high)
    {
        Assert.Equal(low, VerdictRules.IsLowQuality(score));
        Assert.Equal(high, VerdictRules.IsHighQuality(score));
    }

    [Theory]
    [InlineData(1.0, HallucinationSeverity.High)]
    [InlineData(2.0, HallucinationSeverity.High)]
    [InlineData(2.5, HallucinationSeverity.Medium)]
    [InlineData(3.0, HallucinationSeverity.Medium)]
    [InlineData(3.5, HallucinationSeverity.Low)]
    [InlineData(5.0, HallucinationSeverity.Low)]
    public void SeverityOf_Faithfulness_IsTheSeedsRule(double faithfulness, HallucinationSeverity expected)
    {
        Assert.Equal(expected, VerdictRules.SeverityOf(faithfulness));
        Assert.Equal(expected, VerdictRules.SeverityOf(Verdicts.Of(overall: 4, faithfulness, hallucination: true)));
        Assert.Null(VerdictRules.SeverityOf(Verdicts.Of(overall: 4, faithfulness, hallucination: false)));
    }
}
