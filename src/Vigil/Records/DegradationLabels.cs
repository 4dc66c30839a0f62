namespace Vigil.Records;

/// <summary>The snake_case name of each <see cref="Degradation"/> (its contract value and metric label).</summary>
public static class DegradationLabels
{
    /// <summary>The name of <paramref name="degradation"/>.</summary>
    public static string Of(Degradation degradation) => WireNames.Degradation.Of(degradation);

    /// <summary>The degradation named <paramref name="value"/> (contract name or enum name); <see cref="Degradation.None"/> otherwise.</summary>
    public static Degradation Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Degradation.None; // every call without a degradation comes here: no allocation
        }

        if (WireNames.Degradation.TryParse(value, out var degradation))
        {
            return degradation;
        }

        return Enum.TryParse<Degradation>(value, ignoreCase: false, out var named) && Enum.IsDefined(named) && !char.IsAsciiDigit(value[0]) && value[0] != '-'
            ? named
            : Degradation.None;
    }
}
