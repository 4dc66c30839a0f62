using System.Text.Json.Serialization;

namespace Vigil.Evaluation.Calibration;

/// <summary>Source-generated snake_case JSON for human labels (read strictly) and the calibration report (nulls written: a figure without data is null).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false,
    RespectRequiredConstructorParameters = true,
    WriteIndented = true)]
[JsonSerializable(typeof(HumanLabel))]
[JsonSerializable(typeof(CalibrationReport))]
public sealed partial class CalibrationJsonContext : JsonSerializerContext;
