using System.Text.Json.Serialization;

namespace Vigil.LoadTest;

/// <summary>One ingest run's figures, appended as a JSON line with <c>--json-out</c>.</summary>
public sealed class Summary
{
    public string? Label { get; init; }

    public string Url { get; init; } = string.Empty;

    public int Batch { get; init; }

    public int Concurrency { get; init; }

    public double? TargetRecordsPerSecond { get; init; }

    public bool WithContent { get; init; }

    public bool RandomTraceIds { get; init; }

    public int BodyBytes { get; init; }

    public long Requests { get; init; }

    public long RecordsAccepted { get; init; }

    public double Seconds { get; init; }

    public double RecordsPerSecond { get; init; }

    public double RequestsPerSecond { get; init; }

    public double P50Ms { get; init; }

    public double P90Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public double MaxMs { get; init; }

    public double MeanMs { get; init; }

    public double SendP50Ms { get; init; }

    public double SendP99Ms { get; init; }

    public IDictionary<string, long> Statuses { get; init; } = new SortedDictionary<string, long>();

    public double ClientCpuCores { get; init; }

    public double? ServerCpuCores { get; init; }

    public string LoadAverageStart { get; init; } = string.Empty;

    public string LoadAverageEnd { get; init; } = string.Empty;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(Summary))]
internal sealed partial class LoadTestJsonContext : JsonSerializerContext;
