using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Vigil.Evaluation.Quality;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil report</c>: the health report of JSON Lines files, offline.</summary>
internal static class ReportCommand
{
    private const int MaxErrorsShown = 20;

    public static Command Create()
    {
        var input = new Option<FileInfo>("--input", "-i") { Description = "Interactions, JSON Lines (one interaction record a line).", Required = true };
        var feedback = new Option<FileInfo?>("--feedback") { Description = "Feedback records, JSON Lines." };
        var evaluations = new Option<FileInfo?>("--evaluations") { Description = "Evaluation records, JSON Lines." };
        var format = new Option<string>("--format") { Description = "Output format.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "table");
        var from = new Option<DateTimeOffset?>("--from") { Description = "Only records at or after this time (RFC 3339).", CustomParser = ParseTime };
        var to = new Option<DateTimeOffset?>("--to") { Description = "Only records before this time (RFC 3339).", CustomParser = ParseTime };
        var budget = new Option<decimal>("--monthly-budget") { Description = "Monthly budget in USD.", DefaultValueFactory = _ => 5000m };
        var slo = new Option<double>("--slo") { Description = "Availability SLO, e.g. 0.995.", DefaultValueFactory = _ => 0.995 };

        var command = new Command("report", "The health report (SLO, errors, tokens, cost and budget, satisfaction, quality) of interaction files, covering the whole file unless --from/--to narrow it.")
        {
            input, feedback, evaluations, format, from, to, budget, slo,
        };
        slo.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is <= 0 or >= 1)
            {
                result.AddError("--slo must be between 0 and 1, e.g. 0.995.");
            }
        });
        budget.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<decimal>() < 0)
            {
                result.AddError("--monthly-budget must not be negative.");
            }
        });
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(input), parseResult.GetValue(feedback), parseResult.GetValue(evaluations),
            parseResult.GetValue(format) ?? "json", parseResult.GetValue(from), parseResult.GetValue(to),
            new SignalOptions { MonthlyBudgetUsd = parseResult.GetValue(budget), SloTarget = parseResult.GetValue(slo) },
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(FileInfo input, FileInfo? feedback, FileInfo? evaluations, string format,
        DateTimeOffset? from, DateTimeOffset? to, SignalOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        foreach (var file in new[] { input, feedback, evaluations })
        {
            if (file is not null && !file.Exists)
            {
                await stderr.WriteLineAsync($"vigil report: {file.FullName}: no such file").ConfigureAwait(false);
                return ExitCodes.BadUsage;
            }
        }

        var errors = new FirstErrors(MaxErrorsShown);
        void OnError(LineError error) => errors.Add(error);

        var verdicts = new List<EvaluationRecord>();
        var reader = new JsonlReportReader(new InteractionNormalizer(PriceCatalog.Default));
        SignalAggregate aggregate;
        try
        {
            aggregate = await reader.ReadInteractionsAsync(input.FullName, from, to, OnError, cancellationToken).ConfigureAwait(false);
            if (feedback is not null)
            {
                errors.File = 1;
                await reader.ReadFeedbackAsync(feedback.FullName, aggregate, from, to, OnError, cancellationToken).ConfigureAwait(false);
            }

            if (evaluations is not null)
            {
                errors.File = 2;
                await reader.ReadEvaluationsAsync(evaluations.FullName, aggregate, from, to, OnError, verdicts.Add, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await errors.WriteAsync(stderr).ConfigureAwait(false); // the rejected lines first, then why the reading stopped
            await stderr.WriteLineAsync($"vigil report: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.WorkFailed;
        }
        finally
        {
            // Whatever ended the reading (a cancellation too), the lines rejected so far are shown; once.
            await errors.WriteAsync(stderr).ConfigureAwait(false);
        }

        var window = new ReportWindow(from ?? aggregate.FirstTimestamp, to ?? aggregate.LastTimestamp);
        var report = ReportBuilder.Build(aggregate, window, options);
        if (evaluations is not null)
        {
            report = WithQualityWatch(report, verdicts);
        }

        if (format == "table")
        {
            ReportTable.Write(report, stdout);
        }
        else
        {
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, ReportJsonContext.Default.HealthReport)).ConfigureAwait(false);
        }

        if (errors.Count > 0)
        {
            await stderr.WriteLineAsync($"vigil report: {errors.Count} line(s) rejected{(errors.Count > MaxErrorsShown ? $" (first {MaxErrorsShown} shown)" : string.Empty)}; the report covers the other lines.").ConfigureAwait(false);
            return ExitCodes.BadUsage;
        }

        return ExitCodes.Success;
    }

    // Quality drift and the recent hallucination rate, as the collector's quality watch shows them live: the verdicts in
    // the order they were made (by evaluated_at when every one has it, else in file order).
    private static HealthReport WithQualityWatch(HealthReport report, List<EvaluationRecord> verdicts)
    {
        var watch = new QualityWatch();
        IEnumerable<EvaluationRecord> ordered = verdicts.TrueForAll(v => v.EvaluatedAt is not null)
            ? verdicts.OrderBy(v => v.EvaluatedAt)
            : verdicts;
        foreach (var verdict in ordered)
        {
            watch.Add(verdict);
        }

        return watch.AddTo(report);
    }

    private static DateTimeOffset? ParseTime(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
        {
            return value;
        }

        result.AddError($"'{text}' is not an RFC 3339 time, e.g. 2026-11-28T10:00:00Z.");
        return null;
    }

    // The first rejected lines by file (in the order they are read) and line number: the parsers find them in any order,
    // and the same file always gets the same messages. They are written once the files are read (WriteAsync empties it).
    private sealed class FirstErrors(int keep)
    {
        private readonly Lock _gate = new();
        private readonly List<(int File, LineError Error)> _kept = [];

        public int File { get; set; }

        public long Count { get; private set; }

        public void Add(LineError error)
        {
            lock (_gate)
            {
                Count++;
                var at = _kept.Count;
                while (at > 0 && (_kept[at - 1].File > File || (_kept[at - 1].File == File && _kept[at - 1].Error.Line > error.Line)))
                {
                    at--;
                }

                if (at < keep)
                {
                    _kept.Insert(at, (File, error));
                    if (_kept.Count > keep)
                    {
                        _kept.RemoveAt(keep);
                    }
                }
            }
        }

        public async Task WriteAsync(TextWriter stderr)
        {
            foreach (var (_, error) in _kept)
            {
                await stderr.WriteLineAsync($"vigil report: {error}").ConfigureAwait(false);
            }

            _kept.Clear();
        }
    }
}
