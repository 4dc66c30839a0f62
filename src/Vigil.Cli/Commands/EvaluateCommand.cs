using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using Vigil.Evaluation.Judge;
using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Cli.Commands;

/// <summary>
/// <c>vigil evaluate</c>: the seed's batch LLM-as-judge (§6) over a JSON Lines file of interactions, against any
/// OpenAI-compatible endpoint. Verdicts are appended to the output as they come, and a rerun resumes.
/// </summary>
internal static class EvaluateCommand
{
    public const string DefaultApiKeyEnv = "OPENAI_API_KEY";
    private const string Name = "vigil evaluate";
    private const int MaxMessagesShown = 20;

    /// <summary>How often plain progress lines are written when stderr is not a terminal.</summary>
    internal static TimeSpan PlainProgressInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The command, with <paramref name="subcommands"/> under it (e.g. <c>vigil evaluate calibrate</c>).</summary>
    public static Command Create(params Command[] subcommands)
    {
        ArgumentNullException.ThrowIfNull(subcommands);
        var input = new Option<FileInfo>("--input", "-i") { Description = "Interactions to judge, JSON Lines (one interaction record a line). Those without a response are skipped; a repeated trace_id is judged once, on its last line.", Required = true };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Where verdicts go, JSON Lines of evaluation records, appended as each is made. An existing file is resumed: trace ids already in it are not judged again.", Required = true };
        var endpoint = new Option<Uri>("--judge-endpoint") { Description = "Base URL of the OpenAI-compatible judge API, e.g. http://127.0.0.1:8000/v1 or https://api.openai.com/v1.", Required = true, CustomParser = ParseEndpoint };
        var model = new Option<string>("--judge-model") { Description = "The judge model, e.g. gpt-4.1-mini.", Required = true };
        var apiKeyEnv = new Option<string>("--api-key-env") { Description = $"Environment variable holding the judge's API key; unset or empty sends no key (fine for a local server). The key is never printed.", DefaultValueFactory = _ => DefaultApiKeyEnv };
        var concurrency = new Option<int>("--concurrency") { Description = "Judge calls in flight at once.", DefaultValueFactory = _ => 4 };
        var format = new Option<string>("--format") { Description = "Summary format on stdout: a table, or JSON (the seed's batch summary).", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("json", "table");
        var language = new Option<string>("--language") { Description = "Language of the judge prompt: en, or zh (the seed's Chinese template).", DefaultValueFactory = _ => "en" };
        language.AcceptOnlyFromAmong("en", "zh");
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for one judge call before it counts as a timeout.", DefaultValueFactory = _ => 60 };
        var retries = new Option<int>("--max-retries") { Description = "Retries of a judge call after a 429, a 5xx, a timeout or a broken connection (exponential backoff with jitter, Retry-After honoured).", DefaultValueFactory = _ => 3 };
        var noJsonMode = new Option<bool>("--no-json-mode") { Description = "Do not send response_format json_object (for servers that refuse it); the reply is still parsed strictly." };

        var command = new Command("evaluate",
            "Batch LLM-as-judge: scores each interaction's response for relevance, coherence, faithfulness (against its context), " +
            "safety and overall (1-5) and flags hallucinations, with any OpenAI-compatible endpoint as the judge. " +
            "Verdicts are appended to --output as they come and a rerun resumes where the last one stopped; judge errors are counted, never scored. " +
            "The summary goes to stdout. Exit codes: 0 done; 1 the judge failed for every interaction, refused the key (401/403) or does not exist (404), or the output could not be written; " +
            "2 bad usage or rejected input lines (the other lines are judged).")
        {
            input, output, endpoint, model, apiKeyEnv, concurrency, format, language, timeout, retries, noJsonMode,
        };
        foreach (var subcommand in subcommands)
        {
            command.Subcommands.Add(subcommand);
        }

        concurrency.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 64)
            {
                result.AddError("--concurrency must be between 1 and 64.");
            }
        });
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and <= 3600))
            {
                result.AddError("--timeout must be more than 0 and at most 3600 seconds.");
            }
        });
        retries.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 20)
            {
                result.AddError("--max-retries must be between 0 and 20.");
            }
        });
        model.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>()) || result.GetValueOrDefault<string>()!.Length > 128)
            {
                result.AddError("--judge-model must be a model name of 1 to 128 characters.");
            }
        });
        apiKeyEnv.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(value) || value.Contains('=', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                result.AddError("--api-key-env must be the name of an environment variable, e.g. OPENAI_API_KEY (not the key itself).");
            }
        });

        command.SetAction((parseResult, cancellationToken) => RunAsync(
            new EvaluateSettings(
                parseResult.GetRequiredValue(input), parseResult.GetRequiredValue(output), parseResult.GetRequiredValue(endpoint),
                parseResult.GetRequiredValue(model).Trim(), parseResult.GetValue(apiKeyEnv) ?? DefaultApiKeyEnv,
                parseResult.GetResult(apiKeyEnv) is { Implicit: false },
                parseResult.GetValue(concurrency), parseResult.GetValue(format) ?? "table",
                parseResult.GetValue(language) == "zh" ? JudgeLanguage.Chinese : JudgeLanguage.English,
                TimeSpan.FromSeconds(parseResult.GetValue(timeout)), parseResult.GetValue(retries), !parseResult.GetValue(noJsonMode)),
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(EvaluateSettings settings, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!settings.Input.Exists)
        {
            await stderr.WriteLineAsync($"{Name}: {settings.Input.FullName}: no such file").ConfigureAwait(false);
            return VigilCommandLine.BadUsage;
        }

        if (settings.Output.Directory is { Exists: false } directory)
        {
            await stderr.WriteLineAsync($"{Name}: {directory.FullName}: no such directory for --output").ConfigureAwait(false);
            return VigilCommandLine.BadUsage;
        }

        if (string.Equals(settings.Input.FullName, settings.Output.FullName, StringComparison.Ordinal))
        {
            await stderr.WriteLineAsync($"{Name}: --output must not be the --input file").ConfigureAwait(false);
            return VigilCommandLine.BadUsage;
        }

        var apiKey = Environment.GetEnvironmentVariable(settings.ApiKeyEnv);
        if (string.IsNullOrEmpty(apiKey))
        {
            apiKey = null;
            if (settings.ApiKeyEnvGiven)
            {
                await stderr.WriteLineAsync($"{Name}: {settings.ApiKeyEnv} is not set; calling the judge without an API key").ConfigureAwait(false);
            }
        }

        // The key never reaches output: every message that could carry text from outside goes through this.
        string Redact(string text) => apiKey is null ? text : text.Replace(apiKey, "***", StringComparison.Ordinal);

        EvaluationOutputFile? output;
        try
        {
            output = EvaluationOutputFile.Open(settings.Output.FullName, repair => stderr.WriteLine($"{Name}: {repair}"), out var bad);
            if (output is null)
            {
                await stderr.WriteLineAsync($"{Name}: {bad}").ConfigureAwait(false);
                return VigilCommandLine.BadUsage;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"{Name}: {settings.Output.FullName}: {ex.Message}").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }

        using (output)
        {
            InputPlan plan;
            try
            {
                plan = InputPlan.Read(settings.Input.FullName, output.Existing, error =>
                {
                    if (error.Line > 0)
                    {
                        stderr.WriteLine($"{Name}: {error}");
                    }
                }, MaxMessagesShown);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"{Name}: {settings.Input.FullName}: {ex.Message}").ConfigureAwait(false);
                return VigilCommandLine.WorkFailed;
            }

            if (plan.Rejected > MaxMessagesShown)
            {
                await stderr.WriteLineAsync($"{Name}: {plan.Rejected} line(s) rejected (first {MaxMessagesShown} shown); the other lines are judged.").ConfigureAwait(false);
            }

            var run = new JudgeRun(settings, output, Redact, EvaluateProgress.For(stderr, PlainProgressInterval));
            using var client = JudgeEndpoint.CreateChatClient(settings.Endpoint, settings.JudgeModel, apiKey);
            var judge = new LlmJudge(client, new LlmJudgeOptions
            {
                JudgeModel = settings.JudgeModel,
                Language = settings.Language,
                Timeout = settings.Timeout,
                MaxRetries = settings.MaxRetries,
                RequestJsonFormat = settings.RequestJsonFormat,
            });
            await run.RunAsync(judge, plan, cancellationToken).ConfigureAwait(false);

            var summary = EvaluateSummary.From(run.Summary, settings.JudgeModel, plan.Interactions, run.Verdicts, plan.Resumed,
                plan.SkippedNoResponse, plan.ToJudge.Count - run.Verdicts - run.Errors, plan.Rejected);
            if (settings.Format == "json")
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(summary, EvaluateJsonContext.Default.EvaluateSummary)).ConfigureAwait(false);
            }
            else
            {
                summary.WriteTable(stdout);
            }

            return await ExitCodeAsync(run, plan, settings, stderr, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<int> ExitCodeAsync(JudgeRun run, InputPlan plan, EvaluateSettings settings, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (run.WriteFailure is { } failure)
        {
            await stderr.WriteLineAsync($"{Name}: writing {settings.Output.FullName} failed ({failure}); the verdicts before it are kept, rerun to resume").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }

        if (run.Fatal is { } fatal)
        {
            var hint = fatal.Kind == JudgeErrorKind.AuthFailure
                ? $"check the key in {settings.ApiKeyEnv}"
                : "check --judge-endpoint and --judge-model";
            await stderr.WriteLineAsync($"{Name}: stopped: the judge endpoint answered {fatal.Label} ({fatal.Message}); {hint}").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            await stderr.WriteLineAsync($"{Name}: interrupted; the verdicts so far are in {settings.Output.FullName}, rerun to resume").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }

        if (plan.ToJudge.Count > 0 && run.Verdicts == 0 && run.Errors > 0)
        {
            await stderr.WriteLineAsync($"{Name}: the judge gave no verdict for any of the {run.Errors} interaction(s)").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }

        if (run.Errors > 0)
        {
            await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{Name}: {run.Errors} interaction(s) got no verdict; rerun the same command to try them again")).ConfigureAwait(false);
        }

        if (plan.Rejected > 0)
        {
            await stderr.WriteLineAsync($"{Name}: {plan.Rejected} input line(s) rejected; the summary covers the other lines").ConfigureAwait(false);
            return VigilCommandLine.BadUsage;
        }

        return VigilCommandLine.Success;
    }

    private static Uri? ParseEndpoint(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            try
            {
                JudgeEndpoint.ValidateBaseUrl(uri);
                return uri;
            }
            catch (ArgumentException ex)
            {
                result.AddError($"--judge-endpoint: {ex.Message.Split(" (Parameter", 2)[0]}.");
                return null;
            }
        }

        result.AddError($"--judge-endpoint '{text}' is not an absolute URL, e.g. http://127.0.0.1:8000/v1.");
        return null;
    }

    /// <summary>What the input asks for: which lines to judge, after resume and without repeated ids.</summary>
    private sealed class InputPlan
    {
        public long Interactions { get; private init; }
        public long Rejected { get; private init; }
        public long Resumed { get; private init; }
        public long SkippedNoResponse { get; private init; }
        public required HashSet<long> ToJudge { get; init; }
        public required JudgeBatchSummary ResumedVerdicts { get; init; }

        public static InputPlan Read(string path, IReadOnlyDictionary<string, EvaluationRecord> done, Action<LineError> onRejected, int maxShown)
        {
            var last = new Dictionary<string, (long Line, bool HasResponse)>(StringComparer.Ordinal);
            long rejected = 0;
            foreach (var line in JsonLines.Read(path))
            {
                if (line.IsBlank)
                {
                    continue;
                }

                var result = RecordParser.ParseInteraction(line.Bytes);
                if (result.Record is not { } record)
                {
                    if (++rejected <= maxShown)
                    {
                        onRejected(new LineError(path, line.Number, string.Join("; ", result.Errors)));
                    }

                    continue;
                }

                last[record.TraceId] = (line.Number, record.Response is not null);
            }

            var toJudge = new HashSet<long>();
            var resumedVerdicts = new JudgeBatchSummary();
            long resumed = 0, noResponse = 0;
            foreach (var (id, (number, hasResponse)) in last)
            {
                if (!hasResponse)
                {
                    noResponse++;
                }
                else if (done.TryGetValue(id, out var verdict))
                {
                    resumed++;
                    resumedVerdicts.Add(verdict);
                }
                else
                {
                    toJudge.Add(number);
                }
            }

            return new InputPlan
            {
                Interactions = last.Count,
                Rejected = rejected,
                Resumed = resumed,
                SkippedNoResponse = noResponse,
                ToJudge = toJudge,
                ResumedVerdicts = resumedVerdicts,
            };
        }
    }

    /// <summary>Judges the planned lines with bounded concurrency; one writer appends each verdict as it comes and syncs it to disk (a burst with one sync).</summary>
    private sealed class JudgeRun(EvaluateSettings settings, EvaluationOutputFile output, Func<string, string> redact, EvaluateProgress progress)
    {
        private int _errorsShown;

        public JudgeBatchSummary Summary { get; private set; } = new();
        public long Verdicts { get; private set; }
        public long Errors { get; private set; }
        public JudgeError? Fatal { get; private set; }
        public string? WriteFailure { get; private set; }

        public async Task RunAsync(LlmJudge judge, InputPlan plan, CancellationToken cancellationToken)
        {
            Summary = plan.ResumedVerdicts;
            if (plan.ToJudge.Count == 0)
            {
                return;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var requests = Channel.CreateBounded<JudgeRequest>(new BoundedChannelOptions(settings.Concurrency * 2) { SingleWriter = true });
            var results = Channel.CreateUnbounded<(JudgeRequest Request, JudgeResult Result)>(new UnboundedChannelOptions { SingleReader = true });
            await progress.RunAsync(plan.ToJudge.Count, async () =>
            {
                var producer = Task.Run(() => ProduceAsync(plan, requests.Writer, stop.Token), CancellationToken.None);
                var workers = Enumerable.Range(0, settings.Concurrency)
                    .Select(_ => Task.Run(() => JudgeAsync(judge, requests.Reader, results.Writer, stop), CancellationToken.None))
                    .ToArray();
                var writer = Task.Run(() => WriteAsync(results.Reader, stop), CancellationToken.None);
                try
                {
                    await Task.WhenAll(workers).ConfigureAwait(false);
                }
                finally
                {
                    results.Writer.TryComplete();
                    await writer.ConfigureAwait(false);
                    await producer.ConfigureAwait(false);
                }
            }).ConfigureAwait(false);
        }

        private async Task ProduceAsync(InputPlan plan, ChannelWriter<JudgeRequest> requests, CancellationToken stop)
        {
            try
            {
                foreach (var line in JsonLines.Read(settings.Input.FullName))
                {
                    if (!plan.ToJudge.Contains(line.Number) || RecordParser.ParseInteraction(line.Bytes).Record is not { Response: not null } record)
                    {
                        continue;
                    }

                    await requests.WriteAsync(JudgeRequest.From(record), stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            finally
            {
                requests.TryComplete();
            }
        }

        private static async Task JudgeAsync(LlmJudge judge, ChannelReader<JudgeRequest> requests,
            ChannelWriter<(JudgeRequest, JudgeResult)> results, CancellationTokenSource stop)
        {
            try
            {
                await foreach (var request in requests.ReadAllAsync(stop.Token).ConfigureAwait(false))
                {
                    var result = await judge.JudgeAsync(request, stop.Token).ConfigureAwait(false);
                    results.TryWrite((request, result));
                    if (result.Error is { IsFatal: true })
                    {
                        await stop.CancelAsync().ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopping: calls in flight are abandoned and counted as not judged.
            }
        }

        private async Task WriteAsync(ChannelReader<(JudgeRequest Request, JudgeResult Result)> results, CancellationTokenSource stop)
        {
            await foreach (var (request, result) in results.ReadAllAsync().ConfigureAwait(false))
            {
                if (result.Succeeded)
                {
                    if (WriteFailure is not null)
                    {
                        continue;
                    }

                    try
                    {
                        output.Append(result.Evaluation, sync: !results.TryPeek(out _));
                    }
                    catch (IOException ex)
                    {
                        WriteFailure = ex.Message;
                        await stop.CancelAsync().ConfigureAwait(false);
                        continue;
                    }

                    Verdicts++;
                    Summary.Add(result.Evaluation);
                }
                else
                {
                    Errors++;
                    Summary.Add(result.Error);
                    Fatal ??= result.Error.IsFatal ? result.Error : null;
                    if (++_errorsShown <= MaxMessagesShown)
                    {
                        progress.Message(redact($"{Name}: {request.TraceId}: judge error: {result.Error}").ReplaceLineEndings(" "));
                    }
                    else if (_errorsShown == MaxMessagesShown + 1)
                    {
                        progress.Message($"{Name}: more judge errors are not shown; the summary counts them by reason");
                    }
                }

                progress.Advance(result.Succeeded);
            }
        }
    }
}
