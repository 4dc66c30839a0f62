namespace Vigil.Records;

/// <summary>The snake_case name of each <see cref="Degradation"/> (its contract value and metric label).</summary>
public static class DegradationLabels
{
    /// <summary>The name of <paramref name="degradation"/>.</summary>
    public static string Of(Degradation degradation) => WireNames.Degradation.Of(degradation);

    /// <summary>The degradation named <paramref name="value"/> (contract name or enum name); <see cref="Degradation.None"/> otherwise.</summary>
    public static Degradation Parse(string? value)
    {
        if (WireNames.Degradation.TryParse(value, out var degradation))
        {
            return degradation;
        }

        foreach (var named in Enum.GetValues<Degradation>())
        {
            if (value == named.ToString())
            {
                return named;
            }
        }

        return Degradation.None;
    }
}
