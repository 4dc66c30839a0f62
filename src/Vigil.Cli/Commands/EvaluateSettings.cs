using Vigil.Evaluation.Judge;

namespace Vigil.Cli.Commands;

/// <summary>The parsed options of <c>vigil evaluate</c>.</summary>
internal sealed record EvaluateSettings(
    FileInfo Input,
    FileInfo Output,
    Uri Endpoint,
    string JudgeModel,
    string ApiKeyEnv,
    bool ApiKeyEnvGiven,
    int Concurrency,
    string Format,
    JudgeLanguage Language,
    TimeSpan Timeout,
    int MaxRetries,
    bool RequestJsonFormat);
