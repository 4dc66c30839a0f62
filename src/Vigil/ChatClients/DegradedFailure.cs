using Vigil.Records;

namespace Vigil.ChatClients;

/// <summary>
/// How a degrading client tells <c>UseVigil()</c> that a call it degraded failed (the fallback model's error): the
/// exception, passed on unchanged, carries the degradation and the model in its <see cref="Exception.Data"/>.
/// </summary>
internal static class DegradedFailure
{
    private const string DegradationKey = "vigil.degradation";
    private const string ModelKey = "vigil.model";

    /// <summary>Marks <paramref name="exception"/>; always false, so it serves as an exception filter that lets the exception pass.</summary>
    public static bool Mark(Exception exception, Degradation degradation, string? model)
    {
        try
        {
            exception.Data[DegradationKey] = degradation;
            if (model is not null)
            {
                exception.Data[ModelKey] = model;
            }
        }
#pragma warning disable CA1031 // A read-only Data dictionary leaves the failure unmarked; it must still pass unchanged.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        return false;
    }

    /// <summary>The degradation and model a failed call was marked with, or null.</summary>
    public static (Degradation Degradation, string? Model)? Read(Exception exception) =>
        exception.Data[DegradationKey] is Degradation degradation ? (degradation, exception.Data[ModelKey] as string) : null;
}
