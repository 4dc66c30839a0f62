namespace Vigil.Server.Hosting;

/// <summary>The collector refuses to start with this configuration; the message says why and what to do.</summary>
public sealed class VigilServerStartupException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VigilServerStartupException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public VigilServerStartupException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public VigilServerStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
