namespace Vigil.Alerting.Engine;

/// <summary>
/// Where the engine keeps its pending and firing alerts across a restart (the collector's store), so a firing alert
/// stays firing with the same <c>since</c> and is not notified again. Optional: without one, state starts empty.
/// </summary>
public interface IAlertStateStore
{
    /// <summary>The alerts saved last.</summary>
    Task<IReadOnlyList<StoredAlertState>> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the saved alerts with <paramref name="alerts"/>.</summary>
    Task SaveAsync(IReadOnlyList<StoredAlertState> alerts, CancellationToken cancellationToken = default);
}
