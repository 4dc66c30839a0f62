using System.Globalization;
using Vigil.Evaluation.Calibration;

namespace Vigil.Cli.Commands;

/// <summary>The human-readable form of a <see cref="CalibrationReport"/>.</summary>
internal static class CalibrationTable
{
    public static void Write(CalibrationReport report, TextWriter stdout)
    {
        var c = CultureInfo.InvariantCulture;
        if (report.Evaluations is { } e)
        {
            stdout.WriteLine(string.Create(c, $"evaluations   {Path.GetFileName(e.File)}: {e.Records} records, {e.RejectedLines} rejected lines, {e.Duplicates} replaced by a later line"));
        }

        if (report.Human is { } h)
        {
            stdout.WriteLine(string.Create(c, $"human labels  {Path.GetFileName(h.File)}: {h.Records} records, {h.RejectedLines} rejected lines, {h.Duplicates} replaced by a later line"));
        }

        stdout.WriteLine(string.Create(c, $"matched {report.Matched}; evaluations without a label {report.UnmatchedEvaluations}; labels without an evaluation {report.UnmatchedHuman}"));
        var target = report.Target;
        stdout.WriteLine(string.Create(c,
            $"target: {(target.Agreement == AgreementMeasure.Exact ? "exact" : "within-one")} agreement > {target.MinAgreement:0.###} and kappa >= {target.MinKappa:0.###} (quadratic-weighted for the scores)"));
        stdout.WriteLine();
        stdout.WriteLine($"{"dimension",-17} {"n",6} {"exact",7} {"within-1",9} {"kappa",7} {"qw-kappa",9}  result");
        foreach (var (name, d) in report.Dimensions)
        {
            stdout.WriteLine($"{name,-17} {d.Labeled,6} {F(d.ExactAgreement),7} {F(d.WithinOneAgreement),9} {F(d.Kappa),7} {F(d.QuadraticWeightedKappa),9}  {Result(d.Result, d.Reasons)}");
        }

        var hallucination = report.IsHallucination;
        stdout.WriteLine($"{"is_hallucination",-17} {hallucination.Labeled,6} {F(hallucination.Agreement),7} {"-",9} {F(hallucination.Kappa),7} {"-",9}  {Result(hallucination.Result, hallucination.Reasons)}");
        stdout.WriteLine();
        stdout.WriteLine(report.Passed ? "calibration: pass" : "calibration: FAIL");

        foreach (var (name, d) in report.Dimensions.Where(d => d.Value.Labeled > 0))
        {
            stdout.WriteLine();
            stdout.WriteLine($"{name}: rows human 1-5, columns judge 1-5");
            Matrix(stdout, d.ConfusionMatrix, ["1", "2", "3", "4", "5"]);
        }

        if (hallucination.Labeled > 0)
        {
            stdout.WriteLine();
            stdout.WriteLine("is_hallucination: rows human, columns judge");
            Matrix(stdout, hallucination.ConfusionMatrix, ["false", "true"]);
        }
    }

    private static void Matrix(TextWriter stdout, long[][] counts, string[] labels)
    {
        stdout.WriteLine($"{string.Empty,7}" + string.Concat(labels.Select(l => $"{l,7}")));
        for (var i = 0; i < counts.Length; i++)
        {
            stdout.WriteLine($"{labels[i],7}" + string.Concat(counts[i].Select(n => $"{n,7}")));
        }
    }

    private static string Result(CalibrationResult result, IReadOnlyList<string> reasons)
    {
        var word = result switch
        {
            CalibrationResult.Pass => "pass",
            CalibrationResult.Fail => "FAIL",
            _ => "no labels",
        };
        return reasons.Count == 0 ? word : $"{word} ({string.Join("; ", reasons)})";
    }

    private static string F(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";
}
