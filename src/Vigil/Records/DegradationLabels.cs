namespace Vigil.Records;

/// <summary>The snake_case name of each <see cref="Degradation"/> (its contract value and metric label).</summary>
public static class DegradationLabels
{
    /// <summary>The name of <paramref name="degradation"/>.</summary>
    public static string Of(Degradation degradation) => degradation switch
    {
        Degradation.ModelFallback => "model_fallback",
        Degradation.CacheFallback => "cache_fallback",
        Degradation.DefaultResponse => "default_response",
        _ => "none",
    };

    /// <summary>The degradation named <paramref name="value"/> (contract name or enum name); <see cref="Degradation.None"/> otherwise.</summary>
    public static Degradation Parse(string? value)
    {
        foreach (var degradation in Enum.GetValues<Degradation>())
        {
            if (value == Of(degradation) || value == degradation.ToString())
            {
                return degradation;
            }
        }

        return Degradation.None;
    }
}
