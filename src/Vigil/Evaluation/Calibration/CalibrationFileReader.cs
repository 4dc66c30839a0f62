using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Evaluation.Calibration;

/// <summary>
/// Reads an evaluations file and a human labels file (JSON Lines) and joins them on trace_id. A bad line is reported
/// with its file and number and skipped; a repeated trace_id replaces the earlier line (the last one wins, as
/// everywhere in Vigil). The human labels are held in memory; of the evaluations only those with a label are, the
/// others only as trace_ids to count, so a large evaluations file costs little.
/// </summary>
public static class CalibrationFileReader
{
    /// <summary>Reads and joins the two files.</summary>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file may not be read.</exception>
    public static CalibrationInput Read(string evaluationsPath, string humanPath, Action<LineError> onError, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(evaluationsPath);
        ArgumentException.ThrowIfNullOrEmpty(humanPath);
        ArgumentNullException.ThrowIfNull(onError);

        var labels = new Dictionary<string, (long Line, HumanLabel Label)>(StringComparer.Ordinal);
        long labelsRejected = 0, labelDuplicates = 0;
        ForEachLine(humanPath, (line, number) =>
        {
            var result = HumanLabelParser.Parse(line);
            if (result.Record is not { } label)
            {
                labelsRejected++;
                onError(new LineError(humanPath, number, string.Join("; ", result.Errors)));
                return;
            }

            if (labels.ContainsKey(label.TraceId))
            {
                labelDuplicates++;
            }

            labels[label.TraceId] = (number, label);
        }, cancellationToken);

        var judged = new Dictionary<string, EvaluationRecord>(StringComparer.Ordinal);
        var unmatched = new HashSet<string>(StringComparer.Ordinal);
        long evaluationsRejected = 0, evaluationDuplicates = 0;
        ForEachLine(evaluationsPath, (line, number) =>
        {
            var result = RecordParser.ParseEvaluation(line);
            if (result.Record is not { } evaluation)
            {
                evaluationsRejected++;
                onError(new LineError(evaluationsPath, number, string.Join("; ", result.Errors)));
                return;
            }

            bool repeated;
            if (labels.ContainsKey(evaluation.TraceId))
            {
                repeated = judged.ContainsKey(evaluation.TraceId);
                judged[evaluation.TraceId] = evaluation;
            }
            else
            {
                repeated = !unmatched.Add(evaluation.TraceId);
            }

            evaluationDuplicates += repeated ? 1 : 0;
        }, cancellationToken);

        var pairs = labels.Values
            .Where(l => judged.ContainsKey(l.Label.TraceId))
            .OrderBy(l => l.Line)
            .Select(l => (judged[l.Label.TraceId], l.Label))
            .ToList();
        return new CalibrationInput
        {
            Pairs = pairs,
            UnmatchedEvaluations = unmatched.Count,
            UnmatchedHuman = labels.Count - pairs.Count,
            Evaluations = new CalibrationFileStats(evaluationsPath, judged.Count + unmatched.Count, evaluationsRejected, evaluationDuplicates),
            Human = new CalibrationFileStats(humanPath, labels.Count, labelsRejected, labelDuplicates),
        };
    }

    private static void ForEachLine(string path, Action<byte[], long> handle, CancellationToken cancellationToken)
    {
        foreach (var line in JsonLines.Read(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!line.IsBlank)
            {
                handle(line.Bytes, line.Number);
            }
        }
    }
}
