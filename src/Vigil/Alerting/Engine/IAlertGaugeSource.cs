namespace Vigil.Alerting.Engine;

/// <summary>
/// Gauges the engine reads when it evaluates (it keeps no history of them, as a rule compares their value now): the
/// quality drift scores, the configured budget, and in the collector the embedding drift distance. Register one with
/// <c>services.AddSingleton&lt;IAlertGaugeSource&gt;(…)</c>.
/// </summary>
public interface IAlertGaugeSource
{
    /// <summary>The gauges' values now.</summary>
    IEnumerable<GaugeSample> Read();
}
