using System.ComponentModel.DataAnnotations;

namespace Vigil.Alerting.Engine;

/// <summary>Vigil's own alert engine (<c>Vigil:Alerting:Engine</c>).</summary>
public sealed class AlertEngineOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Alerting:Engine";

    /// <summary>Whether the engine evaluates the rules. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the rules are evaluated. Default 5 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan EvaluationInterval { get; set; } = TimeSpan.FromSeconds(5);
}
