using Vigil.Records;

namespace Vigil.Tests.Alerting.Engine;

internal static class Records
{
    public static InteractionRecord Interaction(DateTimeOffset at, InteractionStatus status = InteractionStatus.Success, double latencyMs = 100,
        ErrorType? error = null, decimal? cost = null) => new()
    {
        TraceId = Guid.NewGuid().ToString("N"),
        Timestamp = at,
        Model = "m",
        Feature = "f",
        UserTier = "free",
        Status = status,
        ErrorType = status == InteractionStatus.Success ? null : error ?? ErrorType.ServerError,
        LatencyMs = latencyMs,
        CostUsd = cost,
    };
}
