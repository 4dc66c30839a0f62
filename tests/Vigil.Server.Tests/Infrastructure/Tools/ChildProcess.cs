using System.Diagnostics;
using System.Text;

namespace Vigil.Server.Tests.Infrastructure.Tools;

/// <summary>
/// A process the test started, its stdout and stderr captured. Disposing kills it and its children (its tree only,
/// by its own id) if it still runs, and waits for it to end.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    // Bounds the captured text of a chatty process; past it the oldest half is dropped (the end matters most).
    private const int MaxCapturedChars = 4 * 1024 * 1024;

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data, _stdoutClosed);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data, _stderrClosed);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>What the test calls it in messages (e.g. <c>prometheus</c>).</summary>
    public string Name { get; }

    /// <summary>Its process id.</summary>
    public int Id => _process.Id;

    /// <summary>The process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Its exit code (after it ended).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>What it wrote to stdout so far.</summary>
    public string Stdout => Read(_stdout);

    /// <summary>What it wrote to stderr so far.</summary>
    public string Stderr => Read(_stderr);

    /// <summary>Both streams, for a failure message.</summary>
    public string Output => $"--- {Name} stdout ---{Environment.NewLine}{Stdout}--- {Name} stderr ---{Environment.NewLine}{Stderr}";

    /// <summary>Starts <paramref name="info"/> with its output redirected.</summary>
    public static ChildProcess Start(string name, ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.RedirectStandardInput = false;
        info.UseShellExecute = false;
        return new ChildProcess(name, Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start."));
    }

    /// <summary>Waits up to <paramref name="timeout"/> for it to end by itself, and for the end of its output; false when it still runs.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (TimeoutException)
        {
            return true; // ended; a grandchild may still hold the pipes open
        }
    }

    /// <summary>Kills it and its children if it still runs, and waits for the end.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private static void Append(StringBuilder text, string? line, TaskCompletionSource closed)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (text)
        {
            if (text.Length > MaxCapturedChars)
            {
                text.Remove(0, MaxCapturedChars / 2).Insert(0, "[…]" + Environment.NewLine);
            }

            text.AppendLine(line);
        }
    }
}
