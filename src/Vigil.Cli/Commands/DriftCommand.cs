using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Vigil.Drift;
using Vigil.Embeddings;
using Vigil.Reports;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil drift</c>: embedding drift of one JSON Lines file of embeddings against another. Records without an
/// embedding are embedded locally from their text (<see cref="MiniLmEmbeddingGenerator"/>); a file of vectors never
/// loads the model, and its output is as before.
/// </summary>
internal static class DriftCommand
{
    private const int MaxErrorsShown = 20;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>The command, embedding locally with all-MiniLM-L6-v2 when records lack embeddings.</summary>
    public static Command Create() => Create(static () => new MiniLmEmbeddingGenerator());

    /// <summary>The command, with <paramref name="localEmbedder"/> making the local embedder (tests put a stand-in there).</summary>
    internal static Command Create(Func<IEmbeddingGenerator<string, Embedding<float>>> localEmbedder)
    {
        var reference = new Option<FileInfo>("--reference", "-r") { Description = "The baseline: JSON Lines of {\"embedding\": [..]}, of bare arrays, or of interaction records (embedded from their text when they carry no embedding).", Required = true };
        var current = new Option<FileInfo?>("--current", "-c") { Description = "The set to compare with the baseline, in the same forms. Required unless --save-reference only pins the reference." };
        var method = new Option<string>("--method", "-m") { Description = "ks (per-dimension Kolmogorov-Smirnov), mmd (kernel two-sample test), cosine or euclidean (centroid distance), or all.", DefaultValueFactory = _ => "all" };
        method.AcceptOnlyFromAmong("ks", "mmd", "cosine", "euclidean", "all");
        var alpha = new Option<double>("--alpha") { Description = "Level of the ks and mmd tests: drift when p < alpha, critical when p < alpha/10.", DefaultValueFactory = _ => 0.05 };
        var permutations = new Option<int>("--permutations") { Description = "Permutations of the mmd test.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed of the mmd permutations and subsampling; the same seed gives the same answer.", DefaultValueFactory = _ => 0 };
        var correction = new Option<string>("--correction") { Description = "Multiple-testing correction of the ks p-values: bonferroni or bh (Benjamini-Hochberg).", DefaultValueFactory = _ => "bonferroni" };
        correction.AcceptOnlyFromAmong("bonferroni", "bh");
        var format = new Option<string>("--format") { Description = "Output format: a table, or one JSON object keyed by method.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");
        var embedder = new Option<string>("--embedder") { Description = "What embeds a record that carries no embedding: local (all-MiniLM-L6-v2, 384 dimensions, on this machine, no network) or none (such records are rejected).", DefaultValueFactory = _ => "local" };
        embedder.AcceptOnlyFromAmong("local", "none");
        var embedField = new Option<string>("--embed-field") { Description = "The record's text to embed: query (the user's query) or response (the model's answer; the records' own embeddings, of the query, are then not used).", DefaultValueFactory = _ => "query" };
        embedField.AcceptOnlyFromAmong("query", "response");
        var recompute = new Option<bool>("--recompute") { Description = "Embed every record's text with the embedder, ignoring the embeddings the files carry, so that both sets come from one model." };
        var referenceLimit = new Option<int?>("--reference-limit") { HelpName = "N", Description = "Use only the first N vectors of the reference file (a baseline window, e.g. the first week's 1000 queries)." };
        var saveReference = new Option<FileInfo?>("--save-reference") { HelpName = "file", Description = "Also write the reference's vectors to this file, as {\"embedding\": [..]} lines, to pin the baseline: a later run passes it as --reference." };

        var command = new Command("drift", "Embedding drift between a reference set and a current set: centroid cosine and Euclidean distance, MMD with a permutation test, and per-dimension KS tests. " +
                                           "Interaction records without an embedding are embedded locally from their query (or response).")
        {
            reference, current, method, alpha, permutations, seed, correction, format, embedder, embedField, recompute, referenceLimit, saveReference,
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
        referenceLimit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--reference-limit must be at least 1.");
            }
        });
        command.Validators.Add(result =>
        {
            // Raw tokens: a value that failed to parse is reported by its own option, and GetValue would throw here.
            static string? Given(CommandResult command, Option option) => command.GetResult(option)?.Tokens is [.., var last] ? last.Value : null;

            if (result.GetResult(current) is null && result.GetResult(saveReference) is null)
            {
                result.AddError("Option '--current' is required (unless --save-reference only pins the reference).");
            }

            var recomputing = result.GetResult(recompute) is { } flag && (flag.Tokens.Count == 0 || !string.Equals(flag.Tokens[^1].Value, "false", StringComparison.OrdinalIgnoreCase));
            if (Given(result, embedder) == "none" && (recomputing || Given(result, embedField) == "response"))
            {
                result.AddError("--recompute and --embed-field response embed records' text, which --embedder none does not do.");
            }
        });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var read = new EmbeddingReadOptions
            {
                TextField = parseResult.GetValue(embedField) == "response" ? EmbeddingTextField.Response : EmbeddingTextField.Query,
                Recompute = parseResult.GetValue(recompute),
            };
            var request = new DriftRequest(
                parseResult.GetRequiredValue(reference), parseResult.GetValue(current),
                ParseMethods(parseResult.GetValue(method) ?? "all"),
                new DriftOptions
                {
                    Alpha = parseResult.GetValue(alpha),
                    Permutations = parseResult.GetValue(permutations),
                    Seed = parseResult.GetValue(seed),
                    Correction = parseResult.GetValue(correction) == "bh" ? PValueCorrection.BenjaminiHochberg : PValueCorrection.Bonferroni,
                },
                parseResult.GetValue(format) ?? "table",
                read,
                parseResult.GetValue(embedder) == "local" ? localEmbedder : null,
                parseResult.GetValue(referenceLimit),
                parseResult.GetValue(saveReference));
            return RunAsync(request, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(DriftRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var referenceFile = request.Reference;
        foreach (var file in new[] { referenceFile, request.Current })
        {
            if (file is { Exists: false })
            {
                await stderr.WriteLineAsync($"vigil drift: {file.FullName}: no such file").ConfigureAwait(false);
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

        // One model for both files, loaded at the first record that needs it: files of vectors never load it.
        IEmbeddingGenerator<string, Embedding<float>>? embedder = null;
        Func<IEmbeddingGenerator<string, Embedding<float>>>? lazyEmbedder = request.LocalEmbedder is { } create ? () => embedder ??= create() : null;
        EmbeddingReadResult reference;
        EmbeddingReadResult? current = null;
        try
        {
            reference = await ReadAsync(referenceFile, request.Read, lazyEmbedder, request.ReferenceLimit, OnError, stderr, cancellationToken).ConfigureAwait(false);
            if (request.Current is { } toCompare)
            {
                current = await ReadAsync(toCompare, request.Read, lazyEmbedder, limit: null, OnError, stderr, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException ex)
        {
            await stderr.WriteLineAsync($"vigil drift: {ex.Message}").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }
        catch (UnauthorizedAccessException ex)
        {
            await stderr.WriteLineAsync($"vigil drift: {ex.Message}").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }
        catch (EmbeddingModelLoadException ex)
        {
            await stderr.WriteLineAsync($"vigil drift: {ex.Message}").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }
#pragma warning disable CA1031 // A model that fails midway is a failure of the work, reported, not a crash.
        catch (Exception ex) when (embedder is not null && ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            await stderr.WriteLineAsync($"vigil drift: computing embeddings failed: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }
        finally
        {
            embedder?.Dispose();
        }

        if (errors > MaxErrorsShown)
        {
            await stderr.WriteLineAsync($"vigil drift: {errors} line(s) rejected (first {MaxErrorsShown} shown).").ConfigureAwait(false);
        }

        foreach (var (file, read) in new[] { (referenceFile, (EmbeddingReadResult?)reference), (request.Current, current) })
        {
            if (file is not null && read!.Set is null)
            {
                await stderr.WriteLineAsync($"vigil drift: {file.FullName}: no embeddings").ConfigureAwait(false);
                return VigilCommandLine.BadUsage;
            }
        }

        await WarnOnMixedModelsAsync(reference, current, stderr).ConfigureAwait(false);
        if (request.SaveReference is { } pin)
        {
            try
            {
                var models = reference.Models;
                EmbeddingFileWriter.WriteFile(pin.FullName, reference.Set!, models is [{ } model] ? model : null, cancellationToken);
                await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"vigil drift: wrote the {reference.Set!.Count} reference vectors to {pin.FullName}; pass it as --reference to compare later sets with this baseline.")).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"vigil drift: {pin.FullName}: cannot write the reference: {ex.Message}").ConfigureAwait(false);
                return VigilCommandLine.WorkFailed;
            }
        }

        if (current is null)
        {
            return errors > 0 ? VigilCommandLine.BadUsage : VigilCommandLine.Success;
        }

        var referenceSet = reference.Set!;
        var currentSet = current.Set!;
        var currentFile = request.Current!;
        if (referenceSet.Dimensions != currentSet.Dimensions)
        {
            await stderr.WriteLineAsync($"vigil drift: {referenceFile.FullName} has {referenceSet.Dimensions}-dimensional embeddings but {currentFile.FullName} has {currentSet.Dimensions}-dimensional ones; they must match.").ConfigureAwait(false);
            return VigilCommandLine.BadUsage;
        }

        DriftReport report;
        try
        {
            report = EmbeddingDriftAnalyzer.Analyze(referenceSet, currentSet, request.Methods, request.Options);
        }
        catch (ArgumentException ex)
        {
            await stderr.WriteLineAsync($"vigil drift: {ex.Message}").ConfigureAwait(false);
            return VigilCommandLine.BadUsage;
        }

        if (request.Format == "json")
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, DriftJsonContext.Default.DriftReport)).ConfigureAwait(false);
        }
        else
        {
            WriteTable(report, referenceFile, referenceSet, currentFile, currentSet, stdout);
        }

        if (errors > 0)
        {
            await stderr.WriteLineAsync($"vigil drift: {errors} line(s) rejected; the result covers the other lines.").ConfigureAwait(false);
            return VigilCommandLine.BadUsage;
        }

        return VigilCommandLine.Success;
    }

    private static async Task<EmbeddingReadResult> ReadAsync(FileInfo file, EmbeddingReadOptions read, Func<IEmbeddingGenerator<string, Embedding<float>>>? embedder,
        int? limit, Action<LineError> onError, TextWriter stderr, CancellationToken cancellationToken)
    {
        var options = new EmbeddingReadOptions
        {
            Embedder = embedder,
            TextField = read.TextField,
            Recompute = read.Recompute,
            Limit = limit,
            Progress = new EmbeddingProgressReporter(stderr, TimeProvider.System, ProgressInterval),
        };
        var result = await EmbeddingFileReader.ReadFileAsync(file.FullName, options, onError, cancellationToken).ConfigureAwait(false);
        if (result.Computed > 0)
        {
            var field = read.TextField == EmbeddingTextField.Response ? "response" : "query";
            var stored = result.Stored > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {result.Stored} carried their own") : string.Empty;
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"vigil drift: {file.Name}: embedded the {field} of {result.Computed} record(s) locally with {result.ModelId ?? "the local model"}{stored}.")).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>Vectors of different models live in different spaces: comparing them measures the models, not drift.</summary>
    private static async Task WarnOnMixedModelsAsync(EmbeddingReadResult reference, EmbeddingReadResult? current, TextWriter stderr)
    {
        var models = reference.Models.Concat(current?.Models ?? []).Distinct().ToList();
        if (models.Count < 2)
        {
            return;
        }

        var named = string.Join(", ", models.Select(m => m ?? "vectors that name no model"));
        await stderr.WriteLineAsync(
            $"vigil drift: warning: the vectors come from more than one embedding model ({named}); vectors of different models are not comparable. " +
            "--recompute embeds every record with the local model.").ConfigureAwait(false);
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

    private sealed record DriftRequest(
        FileInfo Reference, FileInfo? Current, DriftMethods Methods, DriftOptions Options, string Format, EmbeddingReadOptions Read,
        Func<IEmbeddingGenerator<string, Embedding<float>>>? LocalEmbedder, int? ReferenceLimit, FileInfo? SaveReference);
}
