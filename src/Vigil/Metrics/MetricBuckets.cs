namespace Vigil.Metrics;

/// <summary>Histogram bucket boundaries of the catalog (upper bounds; +Inf is implied).</summary>
public static class MetricBuckets
{
    /// <summary>llm_request_duration_seconds.</summary>
    public static IReadOnlyList<double> RequestDuration { get; } = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60];

    /// <summary>llm_time_to_first_token_seconds.</summary>
    public static IReadOnlyList<double> TimeToFirstToken { get; } = [0.05, 0.1, 0.2, 0.5, 1, 2, 5];

    /// <summary>llm_quality_score: 0.5 to 5.0 by 0.5.</summary>
    public static IReadOnlyList<double> QualityScore { get; } = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5];

    /// <summary>user_satisfaction_score.</summary>
    public static IReadOnlyList<double> UserSatisfaction { get; } = [1, 2, 3, 4, 5];

    /// <summary>llm_cost_per_interaction_dollars: the seed's $0.05 SLO is a boundary.</summary>
    public static IReadOnlyList<double> CostPerInteraction { get; } = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1];

    /// <summary>llm_time_between_tokens_seconds.</summary>
    public static IReadOnlyList<double> TimeBetweenTokens { get; } = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

    /// <summary>llm_tokens_per_second.</summary>
    public static IReadOnlyList<double> TokensPerSecond { get; } = [5, 10, 20, 50, 100, 200, 500];

    /// <summary>vigil_judge_duration_seconds.</summary>
    public static IReadOnlyList<double> JudgeDuration { get; } = [0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    /// <summary>vigil_gateway_overhead_seconds: 10 µs to 10 ms (the goal: p50 ≤ 50 µs, p99 ≤ 500 µs).</summary>
    public static IReadOnlyList<double> GatewayOverhead { get; } = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01];
}
