using Vigil.Evaluation.Calibration;
using Vigil.Records;

namespace Vigil.Tests.Evaluation.Calibration;

public sealed class JudgeCalibratorTests
{
    [Theory]
    [InlineData(1.0, 0)]
    [InlineData(1.49, 0)]
    [InlineData(1.5, 1)]
    [InlineData(2.5, 2)]
    [InlineData(4.49, 3)]
    [InlineData(4.5, 4)]
    [InlineData(5.0, 4)]
    public void Category_RoundsHalvesUp(double score, int category)
    {
        Assert.Equal(category, JudgeCalibrator.Category(score));
    }

    [Fact]
    public void Calibrate_JoinsOnTraceId_CountsUnmatchedOnEachSide()
    {
        var evaluations = new[] { Judge("a", 4), Judge("b", 4), Judge("c", 3), Judge("x", 5) };
        var labels = new[] { Label("a", overall: 4), Label("b", overall: 2), Label("c", overall: 3), Label("y", overall: 1), Label("z", overall: 1) };

        var report = JudgeCalibrator.Calibrate(evaluations, labels);

        Assert.Equal(3, report.Matched);
        Assert.Equal(1, report.UnmatchedEvaluations);
        Assert.Equal(2, report.UnmatchedHuman);
        var overall = report.Dimensions["overall"];
        Assert.Equal(3, overall.Labeled);
        Assert.Equal(2.0 / 3, overall.ExactAgreement!.Value, 15);
        Assert.Equal(1, overall.ConfusionMatrix[1][3]); // human 2, judge 4
    }

    [Fact]
    public void Calibrate_RepeatedTraceId_LastOneWins()
    {
        var report = JudgeCalibrator.Calibrate([Judge("a", 1), Judge("a", 4)], [Label("a", overall: 2), Label("a", overall: 4)]);

        Assert.Equal(1, report.Matched);
        Assert.Equal(1.0, report.Dimensions["overall"].ExactAgreement);
    }

    [Fact]
    public void Calibrate_SubsetOfDimensions_OthersHaveNoLabels()
    {
        var report = JudgeCalibrator.Calibrate([Judge("a", 4), Judge("b", 2)], [Label("a", overall: 4), Label("b", overall: 2)]);

        Assert.Equal(["relevance", "coherence", "faithfulness", "safety", "overall"], report.Dimensions.Keys);
        Assert.Equal(CalibrationResult.NoLabels, report.Dimensions["relevance"].Result);
        Assert.Equal(0, report.Dimensions["relevance"].Labeled);
        Assert.Null(report.Dimensions["relevance"].Kappa);
        Assert.Equal(CalibrationResult.NoLabels, report.IsHallucination.Result);
        Assert.Equal(CalibrationResult.Pass, report.Dimensions["overall"].Result);
        Assert.True(report.Passed);
    }

    [Fact]
    public void Calibrate_AgreementAtTheTarget_FailsBecauseTheSeedAsksForAbove()
    {
        // 17 of 20 agree: 85%, not above 85%.
        var evaluations = Enumerable.Range(0, 20).Select(i => Judge($"t{i}", i < 17 ? 1 + (i % 5) : 1 + ((i + 2) % 5))).ToList();
        var labels = Enumerable.Range(0, 20).Select(i => Label($"t{i}", overall: 1 + (i % 5))).ToList();

        var report = JudgeCalibrator.Calibrate(evaluations, labels, new CalibrationOptions { MinKappa = 0 });

        var overall = report.Dimensions["overall"];
        Assert.Equal(0.85, overall.ExactAgreement!.Value, 15);
        Assert.Equal(CalibrationResult.Fail, overall.Result);
        Assert.Contains("not above 0.85", Assert.Single(overall.Reasons), StringComparison.Ordinal);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Calibrate_JudgeThatNeverFindsHallucinations_HighAgreementButFailsOnKappa()
    {
        // 5 of 100 answers hallucinate; the judge never says so: 95% agreement, kappa 0.
        var evaluations = Enumerable.Range(0, 100).Select(i => Judge($"t{i}", 4, hallucination: false)).ToList();
        var labels = Enumerable.Range(0, 100).Select(i => Label($"t{i}", hallucination: i < 5)).ToList();

        var strict = JudgeCalibrator.Calibrate(evaluations, labels);
        var seedOnly = JudgeCalibrator.Calibrate(evaluations, labels, new CalibrationOptions { MinKappa = 0 });

        Assert.Equal(0.95, strict.IsHallucination.Agreement!.Value, 15);
        Assert.Equal(0.0, strict.IsHallucination.Kappa);
        Assert.Equal(CalibrationResult.Fail, strict.IsHallucination.Result);
        Assert.Contains("kappa 0 is below 0.6", Assert.Single(strict.IsHallucination.Reasons), StringComparison.Ordinal);
        Assert.Equal([[95L, 0L], [5L, 0L]], strict.IsHallucination.ConfusionMatrix);
        Assert.Equal(CalibrationResult.Pass, seedOnly.IsHallucination.Result);
    }

    [Fact]
    public void Calibrate_WithinOneMeasure_UsesWithinOneAgreement()
    {
        // Every judge score one point above the human's: exact agreement 0, within-one 1.
        var evaluations = Enumerable.Range(0, 40).Select(i => Judge($"t{i}", 2 + (i % 4))).ToList();
        var labels = Enumerable.Range(0, 40).Select(i => Label($"t{i}", overall: 1 + (i % 4))).ToList();

        var exact = JudgeCalibrator.Calibrate(evaluations, labels);
        var withinOne = JudgeCalibrator.Calibrate(evaluations, labels, new CalibrationOptions { Agreement = AgreementMeasure.WithinOne });

        Assert.Equal(CalibrationResult.Fail, exact.Dimensions["overall"].Result);
        Assert.Equal(1.0, withinOne.Dimensions["overall"].WithinOneAgreement);
        Assert.True(withinOne.Dimensions["overall"].QuadraticWeightedKappa > 0.6);
        Assert.Equal(CalibrationResult.Pass, withinOne.Dimensions["overall"].Result);
    }

    [Fact]
    public void Calibrate_OneSameScoreThroughout_PassesWithANoteOnTheUndefinedKappa()
    {
        var report = JudgeCalibrator.Calibrate([Judge("a", 5), Judge("b", 5)], [Label("a", overall: 5), Label("b", overall: 5)]);

        var overall = report.Dimensions["overall"];
        Assert.Equal(CalibrationResult.Pass, overall.Result);
        Assert.Null(overall.QuadraticWeightedKappa);
        Assert.Contains("undefined", Assert.Single(overall.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrate_BadOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => JudgeCalibrator.Calibrate([], [], new CalibrationOptions { MinAgreement = 1.5 }));
        Assert.Throws<ArgumentException>(() => JudgeCalibrator.Calibrate([], [], new CalibrationOptions { MinKappa = double.NaN }));
    }

    [Fact]
    public void Calibrate_NoMatches_NothingPasses()
    {
        var report = JudgeCalibrator.Calibrate([Judge("a", 5)], [Label("b", overall: 5)]);

        Assert.Equal(0, report.Matched);
        Assert.False(report.Passed);
    }

    private static EvaluationRecord Judge(string id, double score, bool hallucination = false) => new()
    {
        TraceId = id,
        JudgeModel = "judge",
        Relevance = score,
        Coherence = score,
        Faithfulness = score,
        Safety = score,
        Overall = score,
        IsHallucination = hallucination,
    };

    private static HumanLabel Label(string id, double? overall = null, bool? hallucination = null) =>
        new() { TraceId = id, Overall = overall, IsHallucination = hallucination };
}
