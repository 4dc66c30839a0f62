namespace Vigil.Alerting;

/// <summary>
/// Where alert state changes go (the notifiers). <see cref="Publish"/> never blocks and never throws: delivery,
/// retries and their failures happen behind it, so no alert evaluation, ingest or LLM call waits for a notifier.
/// </summary>
public interface IAlertStateChangeSink
{
    /// <summary>Hands over one state change for delivery.</summary>
    void Publish(AlertStateChange change);
}
