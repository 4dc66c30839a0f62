using System.Diagnostics.CodeAnalysis;
using Vigil.Records;

namespace Vigil.Evaluation.Judge;

/// <summary>The outcome of judging one interaction: a verdict, or a judge error; never both.</summary>
public sealed class JudgeResult
{
    private JudgeResult(EvaluationRecord? evaluation, JudgeReply? reply, JudgeError? error, int attempts, TimeSpan duration)
    {
        Evaluation = evaluation;
        Reply = reply;
        Error = error;
        Attempts = attempts;
        Duration = duration;
    }

    /// <summary>The verdict as the contract's evaluation record; null on a judge error.</summary>
    public EvaluationRecord? Evaluation { get; }

    /// <summary>The validated reply behind <see cref="Evaluation"/>; null on a judge error.</summary>
    public JudgeReply? Reply { get; }

    /// <summary>Why there is no verdict; null when there is one.</summary>
    public JudgeError? Error { get; }

    /// <summary>Calls made to the judge endpoint: 1, plus one per retry.</summary>
    public int Attempts { get; }

    /// <summary>Time from the first call to the outcome, waits between retries included.</summary>
    public TimeSpan Duration { get; }

    /// <summary>True when there is a verdict.</summary>
    [MemberNotNullWhen(true, nameof(Evaluation), nameof(Reply))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Evaluation is not null;

    /// <summary>A verdict.</summary>
    public static JudgeResult Verdict(EvaluationRecord evaluation, JudgeReply reply, int attempts, TimeSpan duration) =>
        new(evaluation ?? throw new ArgumentNullException(nameof(evaluation)), reply ?? throw new ArgumentNullException(nameof(reply)), null, attempts, duration);

    /// <summary>A judge error.</summary>
    public static JudgeResult Failure(JudgeError error, int attempts, TimeSpan duration) =>
        new(null, null, error ?? throw new ArgumentNullException(nameof(error)), attempts, duration);
}
