namespace Vigil.Sinks;

/// <summary>What became of a batch's records so far; the rest, when sending stops, were not sent.</summary>
internal sealed class BatchTally
{
    /// <summary>Stored by the collector.</summary>
    public int Accepted { get; set; }

    /// <summary>Refused by the collector (a 4xx other than 408 and 429): not retried.</summary>
    public int Rejected { get; set; }

    /// <summary>Could not be written as JSON.</summary>
    public int Invalid { get; set; }

    /// <summary>Lost to an unexpected failure of the sender.</summary>
    public int Failed { get; set; }

    /// <summary>Records whose fate is known.</summary>
    public int Settled => Accepted + Rejected + Invalid + Failed;
}
