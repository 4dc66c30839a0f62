namespace Vigil.Incidents;

/// <summary>Thrown by a degrading client while the mode is <c>disabled</c>: the call was refused, no model was asked.</summary>
public sealed class ChatDisabledException : InvalidOperationException
{
    /// <summary>Creates the exception with the default message.</summary>
    public ChatDisabledException()
        : base("The chat service is disabled by the incident responder (degradation mode 'disabled'); no model was called.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ChatDisabledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public ChatDisabledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
