using System.Text.Json.Serialization;

namespace Vigil.Records;

/// <summary>Source-generated snake_case JSON for the contract's records.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowDuplicateProperties = false,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(InteractionRecord))]
[JsonSerializable(typeof(FeedbackRecord))]
[JsonSerializable(typeof(EvaluationRecord))]
[JsonSerializable(typeof(List<InteractionRecord>))]
[JsonSerializable(typeof(List<FeedbackRecord>))]
[JsonSerializable(typeof(List<EvaluationRecord>))]
public sealed partial class VigilJsonContext : JsonSerializerContext;
