using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Drift;
using Vigil.Reports;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil drift</c>: embedding drift of one JSON Lines file of embeddings against another.</summary>
internal static class DriftCommand
{
    private const int MaxErrorsShown = 20;

    public static Command Create()
    {
        var reference = new Option<FileInfo>("--reference", "-r") { Description = "The baseline embeddings, JSON Lines of {\"embedding\": [..]} or of bare arrays.", Required = true };
        var current = new Option<FileInfo>("--current", "-c") { Description = "The embeddings to compare with the baseline, same format and dimension.", Required = true };
        var method = new Option<string>("--method", "-m") { Description = "ks (per-dimension Kolmogorov-Smirnov), mmd (kernel two-sample test), cosine or euclidean (centroid distance), or all.", DefaultValueFactory = _ => "all" };
        method.AcceptOnlyFromAmong("ks", "mmd", "cosine", "euclidean", "all");
        var alpha = new Option<double>("--alpha") { Description = "Level of the ks and mmd tests: drift when p < alpha, critical when p < alpha/10.", DefaultValueFactory = _ => 0.05 };
        var permutations = new Option<int>("--permutations") { Description = "Permutations of the mmd test.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed of the mmd permutations and subsampling; the same seed gives the same answer.", DefaultValueFactory = _ => 0 };
        var correction = new Option<string>("--correction") { Description = "Multiple-testing correction of the ks p-values: bonferroni or bh (Benjamini-Hochberg).", DefaultValueFactory = _ => "bonferroni" };
        correction.AcceptOnlyFromAmong("bonferroni", "bh");
        var format = new Option<string>("--format") { Description = "Output format: a table, or one JSON object keyed by method.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");

        var command = new Command("drift", "Embedding drift between a reference set and a current set: centroid cosine and Euclidean distance, MMD with a permutation test, and per-dimension KS tests.")
        {
            reference, current, method, alpha, permutations, seed, correction, format,
        };
        alpha.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is <= 0 or >= 1)
            {
                result.AddError("--alpha must be between 0 and 1, e.g. 0.05.");
            }
        });
        permutations.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1_000_000)
            {
                result.AddError("--permutations must be between 1 and 1000000.");
            }
        });
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(
            parseResult.GetRequiredValue(reference), parseResult.GetRequiredValue(current),
            ParseMethods(parseResult.GetValue(method) ?? "all"),
            new DriftOptions
            {
                Alpha = parseResult.GetValue(alpha),
                Permutations = parseResult.GetValue(permutations),
                Seed = parseResult.GetValue(seed),
                Correction = parseResult.GetValue(correction) == "bh" ? PValueCorrection.BenjaminiHochberg : PValueCorrection.Bonferroni,
            },
            parseResult.GetValue(format) ?? "table",
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken)));
        return command;
    }

    private static int Run(FileInfo referenceFile, FileInfo currentFile, DriftMethods methods, DriftOptions options, string format,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        foreach (var file in new[] { referenceFile, currentFile })
        {
            if (!file.Exists)
            {
                stderr.WriteLine($"vigil drift: {file.FullName}: no such file");
                return VigilCommandLine.BadUsage;
            }
        }

        var errors = 0;
        void OnError(LineError error)
        {
            if (++errors <= MaxErrorsShown)
            {
                stderr.WriteLine($"vigil drift: {error}");
            }
        }

        EmbeddingSet? reference;
        EmbeddingSet? current;
        try
        {
            reference = EmbeddingFileReader.ReadFile(referenceFile.FullName, OnError, cancellationToken);
            current = EmbeddingFileReader.ReadFile(currentFile.FullName, OnError, cancellationToken);
        }
        catch (IOException ex)
        {
            stderr.WriteLine($"vigil drift: {ex.Message}");
            return VigilCommandLine.WorkFailed;
        }
        catch (UnauthorizedAccessException ex)
        {
            stderr.WriteLine($"vigil drift: {ex.Message}");
            return VigilCommandLine.WorkFailed;
        }

        if (errors > MaxErrorsShown)
        {
            stderr.WriteLine($"vigil drift: {errors} line(s) rejected (first {MaxErrorsShown} shown).");
        }

        foreach (var (file, set) in new[] { (referenceFile, reference), (currentFile, current) })
        {
            if (set is null)
            {
                stderr.WriteLine($"vigil drift: {file.FullName}: no embeddings");
                return VigilCommandLine.BadUsage;
            }
        }

        if (reference!.Dimensions != current!.Dimensions)
        {
            stderr.WriteLine($"vigil drift: {referenceFile.FullName} has {reference.Dimensions}-dimensional embeddings but {currentFile.FullName} has {current.Dimensions}-dimensional ones; they must match.");
            return VigilCommandLine.BadUsage;
        }

        DriftReport report;
        try
        {
            report = EmbeddingDriftAnalyzer.Analyze(reference, current, methods, options);
        }
        catch (ArgumentException ex)
        {
            stderr.WriteLine($"vigil drift: {ex.Message}");
            return VigilCommandLine.BadUsage;
        }

        if (format == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(report, DriftJsonContext.Default.DriftReport));
        }
        else
        {
            WriteTable(report, referenceFile, reference, currentFile, current, stdout);
        }

        if (errors > 0)
        {
            stderr.WriteLine($"vigil drift: {errors} line(s) rejected; the result covers the other lines.");
            return VigilCommandLine.BadUsage;
        }

        return VigilCommandLine.Success;
    }

    private static DriftMethods ParseMethods(string method) => method switch
    {
        "ks" => DriftMethods.Ks,
        "mmd" => DriftMethods.Mmd,
        "cosine" => DriftMethods.Cosine,
        "euclidean" => DriftMethods.Euclidean,
        _ => DriftMethods.All,
    };

    private static void WriteTable(DriftReport report, FileInfo referenceFile, EmbeddingSet reference, FileInfo currentFile, EmbeddingSet current, TextWriter stdout)
    {
        var c = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(c, $"reference  {referenceFile.Name}: {reference.Count} vectors of {reference.Dimensions} dimensions"));
        stdout.WriteLine(string.Create(c, $"current    {currentFile.Name}: {current.Count} vectors"));
        stdout.WriteLine();
        stdout.WriteLine($"{"method",-10} {"drifting",-9} {"severity",-9} result");
        if (report.Cosine is { } cosine)
        {
            Row("cosine", cosine.IsDrifting, cosine.Severity, string.Create(c, $"distance {cosine.Distance:0.######} (similarity {cosine.Similarity:0.######})"));
        }

        if (report.Euclidean is { } euclidean)
        {
            var relative = euclidean.RelativeDistance is { } r ? string.Create(c, $"{r:0.####} of the reference spread {euclidean.ReferenceSpread:0.####}") : "the reference has no spread";
            Row("euclidean", euclidean.IsDrifting, euclidean.Severity, string.Create(c, $"distance {euclidean.Distance:0.######}, {relative}"));
        }

        if (report.Mmd is { } mmd)
        {
            Row("mmd", mmd.IsDrifting, mmd.Severity, string.Create(c,
                $"mmd2 {mmd.Mmd2:0.######}, p {mmd.PValue:0.####} ({mmd.Permutations} permutations, seed {mmd.Seed}), bandwidth {mmd.Bandwidth:0.####}, {mmd.ReferenceSamples} vs {mmd.CurrentSamples} vectors"));
        }

        if (report.Ks is { } ks)
        {
            var correction = ks.Correction == PValueCorrection.Bonferroni ? "bonferroni" : "benjamini-hochberg";
            Row("ks", ks.IsDrifting, ks.Severity, string.Create(c,
                $"{ks.DriftingDimensions} of {ks.TotalDimensions} dimensions drift ({correction}, alpha {ks.Alpha}), min p {ks.MinPValue:0.######} (bonferroni)"));
        }

        void Row(string name, bool drifting, DriftSeverity severity, string result) =>
            stdout.WriteLine($"{name,-10} {(drifting ? "yes" : "no"),-9} {severity.ToString().ToLowerInvariant(),-9} {result}");
    }
}
