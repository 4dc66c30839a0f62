using System.Text.Json.Serialization;

namespace Vigil.Cli.Commands;

/// <summary>Source-generated snake_case JSON for <see cref="EvaluateSummary"/>; nulls are written (a figure without data is null).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = true)]
[JsonSerializable(typeof(EvaluateSummary))]
internal sealed partial class EvaluateJsonContext : JsonSerializerContext;
