namespace Vigil.Server.Security;

/// <summary>What an API key may do.</summary>
public enum ApiKeyScope
{
    /// <summary>Post interactions and feedback.</summary>
    Ingest,
    /// <summary>Read reports, records and metrics.</summary>
    Read,
    /// <summary>Change the collector's state by hand (<c>PUT /v1/incident</c>).</summary>
    Admin,
}
