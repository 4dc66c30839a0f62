namespace Vigil.Incidents;

/// <summary>Where an app takes its degradation mode from (<c>Vigil:Degradation:Source</c>).</summary>
public enum DegradationSource
{
    /// <summary>The app's own incident responder (<c>local</c>).</summary>
    Local,
    /// <summary>A collector's responder, polled at <c>GET /v1/incident</c> (<c>collector</c>).</summary>
    Collector,
}
