using System.Text.Json.Serialization;

namespace Vigil.Drift;

/// <summary>Source-generated snake_case JSON for the drift report; methods not run are left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(DriftReport))]
public sealed partial class DriftJsonContext : JsonSerializerContext;
