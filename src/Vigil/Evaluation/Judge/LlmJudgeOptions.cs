using System.ComponentModel.DataAnnotations;

namespace Vigil.Evaluation.Judge;

/// <summary>How the LLM judge asks, waits and retries. Bound from <c>Vigil:Judge</c>.</summary>
public sealed class LlmJudgeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Judge";

    /// <summary>The judge model asked for, e.g. <c>gpt-4.1-mini</c>; written as <c>judge_model</c> in every verdict.</summary>
    [Required(AllowEmptyStrings = false)]
    [StringLength(128)]
    public string JudgeModel { get; set; } = string.Empty;

    /// <summary>The language of the prompt: English (default) or the seed's Chinese template.</summary>
    public JudgeLanguage Language { get; set; } = JudgeLanguage.English;

    /// <summary>The longest wait for one call to the judge; a call past it is cancelled and counts as a timeout. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries after a 429, a 5xx, a timeout or a broken connection; 0 for none. Default 3.</summary>
    [Range(0, 20)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's wait; each next one doubles, with jitter. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait before a retry, a server's Retry-After included (a longer Retry-After is cut to it). Default 60 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Ask the endpoint for a JSON object (<c>response_format: json_object</c>). Default true; turn off for servers that refuse it.</summary>
    public bool RequestJsonFormat { get; set; } = true;

    /// <summary>The most tokens the judge may write. Default 1024.</summary>
    [Range(16, 32768)]
    public int MaxOutputTokens { get; set; } = 1024;
}
