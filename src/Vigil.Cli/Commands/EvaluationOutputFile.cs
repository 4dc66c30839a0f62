using System.Text.Json;
using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Cli.Commands;

/// <summary>
/// The output of <c>vigil evaluate</c>: evaluation records, one a line, appended as each verdict comes and flushed
/// to disk, so an interrupted run loses nothing and the next run resumes after the verdicts already there.
/// A last line cut short by a crash is removed (its interaction is judged again); any other line that is not an
/// evaluation record stops the run, since the file is then not one this command wrote. The file is opened for
/// writing by this run alone.
/// </summary>
internal sealed class EvaluationOutputFile : IDisposable
{
    private readonly FileStream _stream;

    private EvaluationOutputFile(FileStream stream, IReadOnlyDictionary<string, EvaluationRecord> existing)
    {
        _stream = stream;
        Existing = existing;
    }

    /// <summary>The verdicts already in the file, by trace id (the last line of an id wins).</summary>
    public IReadOnlyDictionary<string, EvaluationRecord> Existing { get; }

    /// <summary>Opens (or creates) the file for appending; a bad line is given in <paramref name="error"/> instead.</summary>
    /// <param name="path">The file.</param>
    /// <param name="onRepair">Told when a cut-short last line is removed.</param>
    /// <param name="error">The line that is not an evaluation record.</param>
    public static EvaluationOutputFile? Open(string path, Action<LineError> onRepair, out LineError? error)
    {
        error = null;
        var existing = new Dictionary<string, EvaluationRecord>(StringComparer.Ordinal);
        long? cutAt = null;
        var needsNewline = false;
        if (File.Exists(path))
        {
            foreach (var line in JsonLines.Read(path))
            {
                if (line.IsBlank)
                {
                    cutAt = line.Terminated ? null : line.Offset;
                    continue;
                }

                var result = RecordParser.ParseEvaluation(line.Bytes);
                if (result.Record is { } record)
                {
                    existing[record.TraceId] = record;
                    needsNewline = !line.Terminated;
                    continue;
                }

                var message = string.Join("; ", result.Errors);
                if (!line.Terminated)
                {
                    cutAt = line.Offset;
                    onRepair(new LineError(path, line.Number, $"incomplete last line of an interrupted run removed ({message}); its interaction is judged again"));
                    continue;
                }

                error = new LineError(path, line.Number, $"not an evaluation record ({message}); vigil evaluate appends only to its own output, choose another --output");
                return null;
            }
        }

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        try
        {
            if (cutAt is { } cut)
            {
                stream.SetLength(cut);
                needsNewline = false;
            }

            stream.Seek(0, SeekOrigin.End);
            if (needsNewline)
            {
                stream.WriteByte((byte)'\n');
                stream.Flush(flushToDisk: true);
            }

            return new EvaluationOutputFile(stream, existing);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends one verdict as a line and hands it to the operating system at once (a crash of this process loses
    /// nothing); with <paramref name="sync"/> also waits until everything appended so far is on disk (a power
    /// loss loses nothing). The writer syncs whenever no other verdict is waiting, so a burst costs one sync.
    /// </summary>
    public void Append(EvaluationRecord record, bool sync)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(record, VigilJsonContext.Default.EvaluationRecord);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        _stream.Write(line);
        _stream.Flush(flushToDisk: sync);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();
}
