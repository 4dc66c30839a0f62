using System.ComponentModel.DataAnnotations;

namespace Vigil.Server.Drift;

/// <summary>
/// The collector's live embedding drift watch (<see cref="EmbeddingDriftWatch"/>). Bound from <c>Vigil:EmbeddingDrift</c>;
/// the tests themselves (alpha, permutations, seed, thresholds) come from <c>Vigil:Drift</c>
/// (<see cref="Vigil.Drift.DriftOptions"/>, the defaults of <c>vigil drift</c>).
/// </summary>
public sealed class EmbeddingDriftWatchOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:EmbeddingDrift";

    /// <summary>
    /// Runs the watch. Default true: it watches the records that carry an <c>embedding</c>, so that
    /// <c>EmbeddingDriftDetected</c> can fire out of the box; until one arrives nothing is buffered and the report and
    /// <c>/metrics</c> show nothing of it. False: nothing is buffered, loaded or scanned.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Records without an <c>embedding</c> are embedded from their <c>query</c> on this machine by all-MiniLM-L6-v2
    /// (<c>Vigil.Embeddings</c>; the model loads at the first text, on the watch's loop, never on the ingest path).
    /// The drift is then reported as <c>drift_type="topic"</c>. Default false: only records that carry an embedding count.
    /// </summary>
    public bool LocalModel { get; set; }

    /// <summary>The reference set: the first this many embeddings seen, then frozen. Ignored with <see cref="ReferenceFile"/>. Default 500.</summary>
    [Range(2, 100_000)]
    public int ReferenceSize { get; set; } = 500;

    /// <summary>
    /// The current set: the most recent this many embeddings after the reference. Texts waiting for the local model
    /// are capped at this many too (only the most recent count; older ones are dropped and counted). Default 500.
    /// </summary>
    [Range(2, 100_000)]
    public int CurrentSize { get; set; } = 500;

    /// <summary>How often the detectors run (and queued texts are embedded). From 10 ms to 1 day. Default 5 minutes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The methods to run, comma-separated: <c>ks</c>, <c>mmd</c>, <c>cosine</c>, <c>euclidean</c>, or <c>all</c>. Default all.</summary>
    [Required]
    public string Methods { get; set; } = "all";

    /// <summary>
    /// A pinned reference: a file of embeddings as <c>vigil drift --save-reference</c> writes it (JSON Lines of
    /// <c>{"embedding": [..]}</c>), used whole instead of the first embeddings seen. Default none.
    /// </summary>
    public string? ReferenceFile { get; set; }

    /// <summary>
    /// How far back the sets are rebuilt from the store on start (the first embeddings of the span for the reference,
    /// the most recent for the current set), so a restart keeps them. Zero turns it off. Default 7 days.
    /// </summary>
    public TimeSpan RestoreSpan { get; set; } = TimeSpan.FromDays(7);
}
