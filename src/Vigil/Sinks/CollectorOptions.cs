using System.ComponentModel.DataAnnotations;

namespace Vigil.Sinks;

/// <summary>
/// Where and how an app sends its interactions and feedback to a collector (<c>vigil serve</c>), bound from
/// <c>Vigil:Collector</c>. Nothing is sent unless <see cref="Endpoint"/> is set.
/// </summary>
public sealed class CollectorOptions : IValidatableObject
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Vigil:Collector";

    /// <summary>
    /// The collector's base URL, e.g. <c>http://127.0.0.1:5080</c>; records go to <c>v1/interactions</c> and
    /// <c>v1/feedback</c> below it. Null or empty (the default): nothing is sent.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>An API key with the collector's ingest scope, sent as <c>Authorization: Bearer</c>; never logged. Default none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Records in one request at most (the collector takes up to 1000). Default 500.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>How long a record waits at most for its batch to fill before the batch is sent anyway. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Records held at most, for interactions and for feedback each, the batch being sent included. A record that
    /// finds the buffer full is dropped and counted in <c>vigil_sink_dropped_total</c>. Default 10,000: at 20 calls a
    /// second, a collector may be away for about eight minutes without a loss.
    /// </summary>
    [Range(1, 10_000_000)]
    public int BufferCapacity { get; set; } = 10_000;

    /// <summary>The first retry's delay; later ones grow exponentially, with jitter. Default 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest delay between two attempts at a batch when the collector gives no <c>Retry-After</c>. Default 30 s.
    /// A batch is retried for as long as the sink runs: new records wait behind it in the buffer.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> obeyed; a longer one waits this long. Default 5 min, at least 1 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long one attempt may take before it is abandoned and retried. Default 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the host's shutdown waits for what is buffered to be sent; what is left then is dropped and counted.
    /// Default 5 s (the host's own shutdown timeout still applies).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>True when <see cref="Endpoint"/> is set.</summary>
    public bool IsEnabled => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The endpoint as a base URI (ending in <c>/</c>), or null when none is set or it is not valid.</summary>
    public Uri? EndpointUri =>
        IsEnabled && Uri.TryCreate(Endpoint!.Trim(), UriKind.Absolute, out var uri) && EndpointError(uri) is null
            ? new Uri(uri.AbsoluteUri.EndsWith('/') ? uri.AbsoluteUri : uri.AbsoluteUri + "/")
            : null;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsEnabled)
        {
            yield break;
        }

        // The value is not quoted back: a URL may carry credentials.
        var error = Uri.TryCreate(Endpoint!.Trim(), UriKind.Absolute, out var uri)
            ? EndpointError(uri)
            : "is not an absolute URL";
        if (error is not null)
        {
            yield return new ValidationResult(
                $"{SectionName}:Endpoint {error}: give the collector's base URL, e.g. http://127.0.0.1:5080.", [nameof(Endpoint)]);
        }
    }

    private static string? EndpointError(Uri uri) =>
        uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps ? "must be an http or https URL"
        : uri.Query.Length > 0 || uri.Fragment.Length > 0 ? "must not have a query or a fragment"
        : null;
}
