namespace Vigil.Server.Tests.Ingest;

/// <summary>One malformed or hostile request body: where it goes, as what, and what kind it is (for the tally).</summary>
/// <param name="Path">v1/interactions or v1/feedback.</param>
/// <param name="Kind">The generator that made it.</param>
/// <param name="Body">The bytes.</param>
/// <param name="ContentType">The Content-Type header, or null for none.</param>
/// <param name="Chunked">Sent without Content-Length (chunked).</param>
public sealed record HostileBody(string Path, string Kind, byte[] Body, string? ContentType = "application/json", bool Chunked = false)
{
    /// <summary>True when the body is over the collector's limit (the server may close the connection after its 413).</summary>
    public bool IsOversized { get; init; }

    /// <summary>True when no reading of the contract could accept the body (a 202 is then a failure too).</summary>
    public bool MustReject { get; init; }
}
