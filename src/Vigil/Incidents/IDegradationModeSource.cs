namespace Vigil.Incidents;

/// <summary>Tells a degrading client how calls are answered now.</summary>
public interface IDegradationModeSource
{
    /// <summary>The mode in force now.</summary>
    DegradationMode Mode { get; }
}
