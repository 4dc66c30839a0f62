using System.Globalization;
using Spectre.Console;

namespace Vigil.Cli.Demo;

/// <summary>
/// The demo's live view on stderr: progress, the phase of the story, the customers served, and the collector's
/// current health (the last minute's figures, the mode, the alerts). On a terminal it redraws in place; otherwise
/// (a pipe, a CI log) it writes a line every ten seconds.
/// </summary>
internal sealed class DemoConsole(TextWriter stderr, bool interactive)
{
    private static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(10);

    /// <summary>Shows <paramref name="run"/> until <paramref name="customers"/> is done.</summary>
    public async Task ShowAsync(DemoRun run, Task customers, CancellationToken cancellationToken)
    {
        using var http = DemoStatus.CreateClient(run.ReadKey);
        var started = TimeProvider.System.GetTimestamp();
        var status = DemoStatus.Unknown;
        TimeSpan? lastLine = null;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stderr), Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No });

        async Task RefreshAsync()
        {
            try
            {
                status = await DemoStatus.ReadAsync(http, run.CollectorUrl, TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                // The next refresh tries again; the run goes on.
            }
        }

        if (!interactive)
        {
            while (!customers.IsCompleted)
            {
                await Task.WhenAny(customers, Task.Delay(TimeSpan.FromSeconds(1), cancellationToken)).ConfigureAwait(false);
                var elapsed = TimeProvider.System.GetElapsedTime(started);
                if (lastLine is null || elapsed - lastLine >= LineEvery)
                {
                    lastLine = elapsed;
                    await RefreshAsync().ConfigureAwait(false);
                    await stderr.WriteLineAsync(Line(run, elapsed, status)).ConfigureAwait(false);
                }
            }

            return;
        }

        await console.Live(View(run, TimeSpan.Zero, status)).AutoClear(false).StartAsync(async live =>
        {
            var nextRefresh = TimeSpan.Zero;
            while (!customers.IsCompleted)
            {
                var elapsed = TimeProvider.System.GetElapsedTime(started);
                if (elapsed >= nextRefresh)
                {
                    nextRefresh = elapsed + TimeSpan.FromSeconds(2);
                    await RefreshAsync().ConfigureAwait(false);
                }

                live.UpdateTarget(View(run, elapsed, status));
                await Task.WhenAny(customers, Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken)).ConfigureAwait(false);
            }

            live.UpdateTarget(View(run, run.Settings.Duration, status));
        }).ConfigureAwait(false);
    }

    private static string Line(DemoRun run, TimeSpan elapsed, DemoStatus status) =>
        $"vigil demo: {Clock(elapsed)}/{Clock(run.Settings.Duration)} [{run.PhaseAt(elapsed).Name}] served {run.Served}, failed {run.Failed}, degraded {run.Degraded}; " +
        $"last minute: success {Percent(status.SuccessRate)}, p95 {Ms(status.P95Ms)}, hallucinations {Percent(status.HallucinationRate)}; " +
        $"mode {status.Mode}; alerts: {(status.Alerts.Count == 0 ? "none" : string.Join(", ", status.Alerts))}";

    private static Panel View(DemoRun run, TimeSpan elapsed, DemoStatus status)
    {
        var share = Math.Clamp(elapsed / run.Settings.Duration, 0, 1);
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        grid.AddRow("[bold]Story[/]", Markup.Escape($"{run.PhaseAt(elapsed).Name}  ({Clock(elapsed)} of {Clock(run.Settings.Duration)})"));
        grid.AddRow("[bold]Progress[/]", Bar(share));
        grid.AddRow("[bold]Customers[/]", $"{run.Served} served, {run.Failed} failed, {run.Degraded} degraded");
        grid.AddRow("[bold]Last minute[/]", Markup.Escape($"success {Percent(status.SuccessRate)}   p95 {Ms(status.P95Ms)}   TTFT p95 {Ms(status.TtftP95Ms)}   " +
                                                         $"cost/interaction {Usd(status.CostPerInteractionUsd)}   hallucinations {Percent(status.HallucinationRate)}   " +
                                                         $"thumbs up {Percent(status.ThumbsUpRate)}"));
        grid.AddRow("[bold]Mode[/]", status.Mode == "normal" ? "[green]normal[/]" : $"[yellow]{Markup.Escape(status.Mode)}[/]");
        grid.AddRow("[bold]Alerts[/]", status.Alerts.Count == 0 ? "[green]none[/]" : $"[red]{Markup.Escape(string.Join(", ", status.Alerts))}[/]");
        grid.AddRow("[bold]Look[/]", Markup.Escape($"{run.CollectorUrl}  (the page)   {run.CollectorUrl}metrics   {run.CollectorUrl}v1/report"));
        return new Panel(grid).Header($"[bold]vigil demo[/] — simulated customer service, seed {run.Settings.Seed}, scenario {Markup.Escape(run.Settings.Scenario)}").Expand();
    }

    private static string Bar(double share)
    {
        const int width = 40;
        var done = (int)Math.Round(share * width);
        return $"[green]{new string('━', done)}[/][grey]{new string('━', width - done)}[/] {(share * 100).ToString("0", CultureInfo.InvariantCulture)}%";
    }

    private static string Clock(TimeSpan t) => $"{(int)t.TotalMinutes}:{t.Seconds:00}";

    private static string Percent(double? value) => value is { } v ? (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    private static string Ms(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + " ms" : "—";

    private static string Usd(double? value) => value is { } v ? "$" + v.ToString("0.00000", CultureInfo.InvariantCulture) : "—";
}
