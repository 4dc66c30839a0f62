using System.Globalization;
using Vigil.Evaluation.Quality;
using Vigil.Records;

namespace Vigil.Evaluation.Calibration;

/// <summary>
/// Compares the judge's verdicts with people's labels of the same interactions (seed pitfall 4): per dimension the
/// exact and within-one agreement, Cohen's kappa and the quadratic-weighted kappa of the scores rounded to 1..5
/// (halves round up), with the 5 × 5 confusion matrix; for is_hallucination the agreement, Cohen's kappa and the
/// 2 × 2 matrix; each held to <see cref="CalibrationOptions"/>.
/// </summary>
public static class JudgeCalibrator
{
    private const int Scores = 5;

    /// <summary>Joins <paramref name="evaluations"/> and <paramref name="labels"/> on trace_id (a repeated trace_id: the last one wins) and compares them.</summary>
    public static CalibrationReport Calibrate(IEnumerable<EvaluationRecord> evaluations, IEnumerable<HumanLabel> labels, CalibrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        ArgumentNullException.ThrowIfNull(labels);
        var judged = new Dictionary<string, EvaluationRecord>(StringComparer.Ordinal);
        foreach (var evaluation in evaluations)
        {
            judged[evaluation.TraceId] = evaluation;
        }

        var human = new Dictionary<string, HumanLabel>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            human[label.TraceId] = label;
        }

        var pairs = human.Values.Where(l => judged.ContainsKey(l.TraceId)).Select(l => (judged[l.TraceId], l)).ToList();
        return Calibrate(pairs, judged.Count - pairs.Count, human.Count - pairs.Count, options);
    }

    /// <summary>Compares matched (judge, human) pairs; the unmatched counts are reported as given.</summary>
    /// <exception cref="ArgumentException">An option is out of range, or a count is negative.</exception>
    public static CalibrationReport Calibrate(IReadOnlyCollection<(EvaluationRecord Judge, HumanLabel Human)> pairs,
        long unmatchedEvaluations, long unmatchedHuman, CalibrationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentOutOfRangeException.ThrowIfNegative(unmatchedEvaluations);
        ArgumentOutOfRangeException.ThrowIfNegative(unmatchedHuman);
        options ??= new CalibrationOptions();
        options.Validate();

        var matrices = QualityDimensions.All.Select(_ => new ConfusionMatrix(Scores)).ToArray();
        var hallucination = new ConfusionMatrix(2);
        foreach (var (judge, human) in pairs)
        {
            foreach (var dimension in QualityDimensions.All)
            {
                if (HumanLabelParser.Score(human, dimension) is { } score)
                {
                    matrices[(int)dimension].Add(Category(score), Category(QualityDimensions.Score(judge, dimension)));
                }
            }

            if (human.IsHallucination is { } found)
            {
                hallucination.Add(found ? 1 : 0, judge.IsHallucination ? 1 : 0);
            }
        }

        var dimensions = QualityDimensions.All.ToDictionary(QualityDimensions.Name, d => Score(matrices[(int)d], options), StringComparer.Ordinal);
        var hallucinationAgreement = Hallucination(hallucination, options);
        var results = dimensions.Values.Select(d => d.Result).Append(hallucinationAgreement.Result).ToList();
        return new CalibrationReport
        {
            Matched = pairs.Count,
            UnmatchedEvaluations = unmatchedEvaluations,
            UnmatchedHuman = unmatchedHuman,
            Target = options.Target,
            Dimensions = dimensions,
            IsHallucination = hallucinationAgreement,
            Passed = results.Contains(CalibrationResult.Pass) && !results.Contains(CalibrationResult.Fail),
        };
    }

    /// <summary>The 0-based category of a 1–5 score: rounded to the nearest integer, halves up, clamped to 1..5.</summary>
    public static int Category(double score) => (int)Math.Clamp(Math.Round(score, MidpointRounding.AwayFromZero), 1, Scores) - 1;

    private static ScoreAgreement Score(ConfusionMatrix matrix, CalibrationOptions options)
    {
        var agreement = options.Agreement == AgreementMeasure.Exact ? matrix.Agreement : matrix.WithinOneAgreement;
        var name = options.Agreement == AgreementMeasure.Exact ? "exact agreement" : "within-one agreement";
        var (result, reasons) = Judge(matrix.Total, agreement, name, matrix.QuadraticWeightedKappa, "quadratic-weighted kappa", options);
        return new ScoreAgreement
        {
            Labeled = matrix.Total,
            ExactAgreement = matrix.Agreement,
            WithinOneAgreement = matrix.WithinOneAgreement,
            Kappa = matrix.CohenKappa,
            QuadraticWeightedKappa = matrix.QuadraticWeightedKappa,
            ConfusionMatrix = matrix.ToArray(),
            Result = result,
            Reasons = reasons,
        };
    }

    private static HallucinationAgreement Hallucination(ConfusionMatrix matrix, CalibrationOptions options)
    {
        var (result, reasons) = Judge(matrix.Total, matrix.Agreement, "agreement", matrix.CohenKappa, "kappa", options);
        return new HallucinationAgreement
        {
            Labeled = matrix.Total,
            Agreement = matrix.Agreement,
            Kappa = matrix.CohenKappa,
            ConfusionMatrix = matrix.ToArray(),
            Result = result,
            Reasons = reasons,
        };
    }

    private static (CalibrationResult Result, List<string> Reasons) Judge(long labeled, double? agreement, string agreementName,
        double? kappa, string kappaName, CalibrationOptions options)
    {
        var reasons = new List<string>();
        if (labeled == 0 || agreement is not { } a)
        {
            return (CalibrationResult.NoLabels, reasons);
        }

        var c = CultureInfo.InvariantCulture;
        var failed = false;
        if (!(a > options.MinAgreement))
        {
            failed = true;
            reasons.Add(string.Create(c, $"{agreementName} {a:0.###} is not above {options.MinAgreement:0.###}"));
        }

        if (kappa is not { } k)
        {
            reasons.Add($"{kappaName} is undefined: judge and people gave one and the same answer throughout");
        }
        else if (k < options.MinKappa)
        {
            failed = true;
            reasons.Add(string.Create(c, $"{kappaName} {k:0.###} is below {options.MinKappa:0.###}"));
        }

        return (failed ? CalibrationResult.Fail : CalibrationResult.Pass, reasons);
    }
}
