using System.Text.Json.Serialization;

namespace Vigil.Reports;

/// <summary>Source-generated snake_case JSON for the health report; nulls are written (a figure without data is null).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    WriteIndented = true)]
[JsonSerializable(typeof(HealthReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;
