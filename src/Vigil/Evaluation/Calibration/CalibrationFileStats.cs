namespace Vigil.Evaluation.Calibration;

/// <summary>What was read from one input file.</summary>
/// <param name="File">The file's path.</param>
/// <param name="Records">Valid records, counting each trace_id once.</param>
/// <param name="RejectedLines">Lines rejected as invalid.</param>
/// <param name="Duplicates">Valid lines whose trace_id a later line replaced.</param>
public sealed record CalibrationFileStats(string File, long Records, long RejectedLines, long Duplicates);
