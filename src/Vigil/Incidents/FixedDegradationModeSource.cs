namespace Vigil.Incidents;

/// <summary>A mode set by hand (tests, a feature flag, an operator switch); settable at any time.</summary>
/// <param name="mode">The initial mode.</param>
public sealed class FixedDegradationModeSource(DegradationMode mode = DegradationMode.Normal) : IDegradationModeSource
{
    private volatile int _mode = (int)mode;

    /// <inheritdoc />
    public DegradationMode Mode
    {
        get => (DegradationMode)_mode;
        set => _mode = (int)value;
    }
}
