namespace Vigil.Alerting.Engine;

/// <summary>
/// One cumulative counter the engine keeps a history of, summed over every label as the catalog's rules sum it
/// (<c>sum(rate(llm_requests_total[5m]))</c>). <see cref="Index"/> is its column in <see cref="SignalHistory"/>.
/// </summary>
/// <param name="Index">The column in the history.</param>
/// <param name="Name">The Prometheus series it stands for, e.g. <c>llm_requests_total{status="success"}</c>.</param>
public readonly record struct SignalCounter(int Index, string Name)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
