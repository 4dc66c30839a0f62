using System.CommandLine;
using System.Text.Json;
using Vigil.Evaluation.Calibration;
using Vigil.Reports;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil evaluate calibrate</c>: how well the LLM judge agrees with people's labels of the same interactions.</summary>
internal static class CalibrateCommand
{
    private const string Name = "vigil evaluate calibrate";
    private const int MaxErrorsShown = 20;

    public static Command Create()
    {
        var evaluations = new Option<FileInfo>("--evaluations", "-e") { Description = "The judge's verdicts: evaluation records, JSON Lines.", Required = true };
        var human = new Option<FileInfo>("--human") { Description = "People's labels, JSON Lines, one object a line: {\"trace_id\": \"...\"} plus any of relevance, coherence, faithfulness, safety, overall (numbers 1-5) and is_hallucination (true/false), at least one; optional labeler and comment; no other fields. Example: {\"trace_id\": \"t1\", \"faithfulness\": 2, \"is_hallucination\": true}", Required = true };
        var format = new Option<string>("--format") { Description = "Output format: a table, or one JSON object.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");
        var minAgreement = new Option<double>("--min-agreement") { Description = "A dimension passes only when its agreement is above this (the seed's target: 85%).", DefaultValueFactory = _ => 0.85 };
        var agreement = new Option<string>("--agreement") { Description = "Which agreement of the 1-5 scores is held to --min-agreement: exact (the same rounded score) or within-one.", DefaultValueFactory = _ => "exact" };
        agreement.AcceptOnlyFromAmong("exact", "within-one");
        var minKappa = new Option<double>("--min-kappa") { Description = "...and its chance-corrected agreement is at least this: quadratic-weighted kappa for the scores, Cohen's kappa for is_hallucination. 0 keeps the seed's rule alone.", DefaultValueFactory = _ => 0.6 };

        var command = new Command("calibrate",
            "Judge calibration (seed pitfall 4): joins the judge's evaluations with human labels on trace_id and reports, per dimension, " +
            "exact and within-one agreement, Cohen's kappa, quadratic-weighted kappa and the 5x5 confusion matrix (rows human, columns judge; " +
            "scores rounded to 1..5, halves up), and for is_hallucination the agreement, kappa and 2x2 matrix; each dimension passes when its " +
            "agreement is above --min-agreement and its kappa is at least --min-kappa. A repeated trace_id: the last line wins.")
        {
            evaluations, human, format, minAgreement, agreement, minKappa,
        };
        minAgreement.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (>= 0 and <= 1))
            {
                result.AddError("--min-agreement must be from 0 to 1, e.g. 0.85.");
            }
        });
        minKappa.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (>= -1 and <= 1))
            {
                result.AddError("--min-kappa must be from -1 to 1, e.g. 0.6.");
            }
        });
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(
            parseResult.GetRequiredValue(evaluations), parseResult.GetRequiredValue(human),
            new CalibrationOptions
            {
                MinAgreement = parseResult.GetValue(minAgreement),
                MinKappa = parseResult.GetValue(minKappa),
                Agreement = parseResult.GetValue(agreement) == "within-one" ? AgreementMeasure.WithinOne : AgreementMeasure.Exact,
            },
            parseResult.GetValue(format) ?? "table",
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken)));
        return command;
    }

    private static int Run(FileInfo evaluationsFile, FileInfo humanFile, CalibrationOptions options, string format,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        foreach (var file in new[] { evaluationsFile, humanFile })
        {
            if (!file.Exists)
            {
                stderr.WriteLine($"{Name}: {file.FullName}: no such file");
                return VigilCommandLine.BadUsage;
            }
        }

        var errors = 0;
        void OnError(LineError error)
        {
            if (++errors <= MaxErrorsShown)
            {
                stderr.WriteLine($"{Name}: {error}");
            }
        }

        CalibrationInput input;
        try
        {
            input = CalibrationFileReader.Read(evaluationsFile.FullName, humanFile.FullName, OnError, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{Name}: {ex.Message}");
            return VigilCommandLine.WorkFailed;
        }

        if (errors > MaxErrorsShown)
        {
            stderr.WriteLine($"{Name}: {errors} line(s) rejected (first {MaxErrorsShown} shown).");
        }

        if (input.Evaluations.Records == 0 || input.Human.Records == 0)
        {
            var empty = input.Evaluations.Records == 0 ? evaluationsFile.FullName : humanFile.FullName;
            stderr.WriteLine($"{Name}: {empty}: no valid {(input.Evaluations.Records == 0 ? "evaluations" : "human labels")}");
            return VigilCommandLine.BadUsage;
        }

        if (input.Pairs.Count == 0)
        {
            stderr.WriteLine($"{Name}: no trace_id is in both {evaluationsFile.FullName} ({input.Evaluations.Records} evaluations) and {humanFile.FullName} ({input.Human.Records} labels); nothing to compare.");
            return VigilCommandLine.BadUsage;
        }

        var report = JudgeCalibrator.Calibrate(input.Pairs, input.UnmatchedEvaluations, input.UnmatchedHuman, options) with
        {
            Evaluations = input.Evaluations,
            Human = input.Human,
        };
        if (format == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(report, CalibrationJsonContext.Default.CalibrationReport));
        }
        else
        {
            CalibrationTable.Write(report, stdout);
        }

        if (errors > 0)
        {
            stderr.WriteLine($"{Name}: {errors} line(s) rejected; the result covers the other lines.");
            return VigilCommandLine.BadUsage;
        }

        return VigilCommandLine.Success;
    }
}
