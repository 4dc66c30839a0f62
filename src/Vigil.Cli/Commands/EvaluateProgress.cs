using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Vigil.Cli.Commands;

/// <summary>
/// Progress of <c>vigil evaluate</c> on stderr: a live progress bar when stderr is an interactive terminal that
/// understands ANSI, otherwise a plain line now and then, so a pipe or log file never gets escape codes.
/// Messages go through it so they land above the bar rather than through it.
/// </summary>
internal abstract class EvaluateProgress
{
    /// <summary>Runs <paramref name="work"/> while showing its progress toward <paramref name="total"/> judge calls.</summary>
    public abstract Task RunAsync(long total, Func<Task> work);

    /// <summary>One judge call finished.</summary>
    public abstract void Advance(bool verdict);

    /// <summary>A message line for a person.</summary>
    public abstract void Message(string text);

    /// <summary>A progress bar on a terminal; plain lines every <paramref name="plainInterval"/> otherwise.</summary>
    public static EvaluateProgress For(TextWriter stderr, TimeSpan plainInterval)
    {
        if (ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(Console.Error),
                Ansi = AnsiSupport.Detect,
                ColorSystem = ColorSystemSupport.Detect,
                Interactive = InteractionSupport.Detect,
            });
            if (console.Profile.Capabilities.Ansi && console.Profile.Capabilities.Interactive)
            {
                return new Bar(console);
            }
        }

        return new Plain(stderr, plainInterval);
    }

    private sealed class Bar(IAnsiConsole console) : EvaluateProgress
    {
        private readonly Lock _gate = new();
        private ProgressTask? _task;
        private long _errors;

        public override Task RunAsync(long total, Func<Task> work) =>
            console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    lock (_gate)
                    {
                        _task = context.AddTask("judging", maxValue: Math.Max(1, total));
                    }

                    await work().ConfigureAwait(false);
                    lock (_gate)
                    {
                        _task.StopTask(); // where it stands: a stopped run does not show 100%
                    }
                });

        public override void Advance(bool verdict)
        {
            lock (_gate)
            {
                if (!verdict)
                {
                    _errors++;
                }

                if (_task is not null)
                {
                    _task.Increment(1);
                    _task.Description = _errors == 0 ? "judging" : $"judging ({_errors} error{(_errors == 1 ? string.Empty : "s")})";
                }
            }
        }

        public override void Message(string text)
        {
            lock (_gate)
            {
                console.Write(new ClearedLines(text));
            }
        }
    }

    // A message above the live bar: plain text (never parsed as markup), wrapped at the terminal's width, each line
    // erased before it is written. The bar is redrawn from its top without erasing, so a message that wraps would
    // otherwise leave pieces of the old bar behind its shorter lines.
    private sealed class ClearedLines(string text) : Renderable
    {
        private const string EraseLine = "\u001b[2K";

        protected override IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
        {
            yield return Segment.Control(EraseLine);
            foreach (var segment in ((IRenderable)new Text(text)).Render(options, maxWidth))
            {
                yield return segment;
                if (segment.IsLineBreak)
                {
                    yield return Segment.Control(EraseLine);
                }
            }

            yield return Segment.LineBreak;
        }
    }

    private sealed class Plain(TextWriter stderr, TimeSpan interval) : EvaluateProgress
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _clock = new();
        private TimeSpan _lastReport;
        private long _total;
        private long _done;
        private long _errors;

        public override async Task RunAsync(long total, Func<Task> work)
        {
            _total = total;
            _clock.Start();
            await work().ConfigureAwait(false);
            lock (_gate)
            {
                if (_done > 0)
                {
                    Report();
                }
            }
        }

        public override void Advance(bool verdict)
        {
            lock (_gate)
            {
                _done++;
                if (!verdict)
                {
                    _errors++;
                }

                if (_clock.Elapsed - _lastReport >= interval && _done < _total)
                {
                    Report();
                }
            }
        }

        public override void Message(string text)
        {
            lock (_gate)
            {
                stderr.WriteLine(text);
            }
        }

        private void Report()
        {
            _lastReport = _clock.Elapsed;
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"vigil evaluate: {_done}/{_total} judged ({_done - _errors} verdicts, {_errors} judge errors), {_clock.Elapsed.TotalSeconds:0}s"));
        }
    }
}
