using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Vigil.Cli.Demo;
using Vigil.Server.Hosting;

namespace Vigil.Cli.Commands;

/// <summary><c>vigil demo</c>: the seed's customer-service case through the real pipeline, on loopback.</summary>
internal static class DemoCommand
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);
    private const double MaxRate = 1000;

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where the collector listens while the demo runs (the page, /metrics, the API).", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var data = new Option<string?>("--data") { Description = "Directory of the demo's embedded store. Default: a new directory under the system's temp directory, kept after the run." };
        var duration = new Option<string>("--duration") { Description = "How long customers keep coming: e.g. 90s, 5m, 1h. The story scales to it; the seed's alerts need about 5m to fire and resolve.", DefaultValueFactory = _ => "5m" };
        var rate = new Option<double>("--rate") { Description = "Customers per second.", DefaultValueFactory = _ => 20 };
        var seed = new Option<int>("--seed") { Description = "The dice: the same seed gives the same run.", DefaultValueFactory = _ => 42 };
        var scenario = new Option<string>("--scenario") { Description = "The story: " + DemoScenarios.Describe() + ".", DefaultValueFactory = _ => DemoScenarios.DefaultName };
        scenario.AcceptOnlyFromAmong([.. DemoScenarios.Names]);
        var command = new Command("demo",
            "Runs the seed's customer-service case through the real pipeline on this machine, with nothing from outside: a simulated provider " +
            "(outages, rate limits, refusals, hallucinations), a simulated support agent calling it through the OpenAI SDK with UseVigil() and " +
            "UseDegradation(), its customers' feedback, the collector on the embedded store with the judge, drift detectors, alerts and responder. " +
            "Serves the dashboard page and /metrics while it runs; prints the health report at the end.")
        {
            urls, data, duration, rate, seed, scenario,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetValue(urls)!, parseResult.GetValue(data), parseResult.GetValue(duration)!, parseResult.GetValue(rate), parseResult.GetValue(seed),
            parseResult.GetValue(scenario)!, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>Reads a duration such as <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>1m30s</c> or <c>00:05:00</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration);
        }

        var rest = text.Trim().AsSpan();
        var any = false;
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || digits == rest.Length || !double.TryParse(rest[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                return false;
            }

            var unit = rest[digits] switch { 'h' => TimeSpan.FromHours(1), 'm' => TimeSpan.FromMinutes(1), 's' => TimeSpan.FromSeconds(1), _ => TimeSpan.Zero };
            if (unit == TimeSpan.Zero)
            {
                return false;
            }

            duration += amount * unit;
            rest = rest[(digits + 1)..];
            any = true;
        }

        return any;
    }

    private static async Task<int> RunAsync(string urls, string? data, string durationText, double rate, int seed, string scenario,
        TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!TryParseDuration(durationText, out var duration) || duration <= TimeSpan.Zero || duration > MaxDuration)
        {
            return await BadUsageAsync(stderr, $"--duration '{durationText}' is not a duration from 1s to 24h, e.g. 90s, 5m or 1h.").ConfigureAwait(false);
        }

        if (!(rate > 0 && rate <= MaxRate))
        {
            return await BadUsageAsync(stderr, $"--rate {rate.ToString(CultureInfo.InvariantCulture)} must be more than 0 and at most {MaxRate.ToString(CultureInfo.InvariantCulture)} customers per second.").ConfigureAwait(false);
        }

        if (!DemoScenarios.TryGet(scenario, out var timeline))
        {
            return await BadUsageAsync(stderr, $"--scenario '{scenario}' is not one of: {string.Join(", ", DemoScenarios.Names)}.").ConfigureAwait(false);
        }

        var directory = Path.GetFullPath(data ?? Path.Combine(Path.GetTempPath(), "vigil-demo-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        var settings = new DemoSettings(urls, directory, duration, rate, seed, scenario, timeline);

        DemoRun run;
        try
        {
            run = await DemoRun.StartAsync(settings, cancellationToken).ConfigureAwait(false);
        }
        catch (VigilServerStartupException ex)
        {
            return await BadUsageAsync(stderr, ex.Message).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await stderr.WriteLineAsync($"vigil demo: {ex.Message}").ConfigureAwait(false);
            return VigilCommandLine.WorkFailed;
        }

        await using (run.ConfigureAwait(false))
        {
            await stderr.WriteLineAsync(
                $"vigil demo: everything here is SIMULATED (provider, customers, judge); nothing leaves this machine.{Environment.NewLine}" +
                $"vigil demo: {settings.TotalCalls} customers over {durationText} ({rate.ToString(CultureInfo.InvariantCulture)}/s), seed {seed}, scenario {scenario}; store: SQLite in {directory}{Environment.NewLine}" +
                $"vigil demo: open {run.CollectorUrl} for the dashboard; {run.CollectorUrl}metrics and {run.CollectorUrl}v1/report while it runs. Ctrl+C stops early.")
                .ConfigureAwait(false);

            var customers = run.RunCustomersAsync(cancellationToken);
            var interactive = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
            await new DemoConsole(stderr, interactive).ShowAsync(run, customers, CancellationToken.None).ConfigureAwait(false);
            try
            {
                await customers.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await stderr.WriteLineAsync("vigil demo: stopped early; the report covers what ran.").ConfigureAwait(false);
            }

            var report = await run.ReportAsync(CancellationToken.None).ConfigureAwait(false);
            ReportTable.Write(report, stdout);
            await WriteIncidentsAsync(run, stdout).ConfigureAwait(false);
            await stderr.WriteLineAsync(
                $"vigil demo: the run's data stays in {directory}; 'vigil serve --data {Quoted(directory)}' serves the page, /metrics and /v1/report for it again.")
                .ConfigureAwait(false);
        }

        return VigilCommandLine.Success;
    }

    // The responder's log of the run, as GET /v1/incidents gives it.
    private static async Task WriteIncidentsAsync(DemoRun run, TextWriter stdout)
    {
        using var http = DemoStatus.CreateClient(run.ReadKey);
        try
        {
            var log = JsonNode.Parse(await http.GetStringAsync(new Uri(run.CollectorUrl, "v1/incidents")).ConfigureAwait(false));
            var entries = log?["incidents"] as JsonArray ?? [];
            await stdout.WriteLineAsync(entries.Count == 0 ? "incidents: none" : "incidents:").ConfigureAwait(false);
            foreach (var entry in entries)
            {
                await stdout.WriteLineAsync($"  {entry?["timestamp"]}  {entry?["action"]}  {entry?["from_mode"]} -> {entry?["mode"]}  {entry?["reason"]}").ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            await stdout.WriteLineAsync($"incidents: the log could not be read ({ex.Message})").ConfigureAwait(false);
        }
    }

    private static string Quoted(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;

    private static async Task<int> BadUsageAsync(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync($"vigil demo: {message}").ConfigureAwait(false);
        return VigilCommandLine.BadUsage;
    }
}
