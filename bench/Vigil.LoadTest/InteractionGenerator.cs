using System.Text.Json;

namespace Vigil.LoadTest;

/// <summary>
/// Writes realistic interaction records (the contract's snake_case JSON): several models, providers,
/// features, tiers and users; lognormal time to first token, output length and so latency; input, output and
/// cached tokens; a small share of hard errors (with http_status), soft refusals, fallbacks and cache outcomes;
/// short query and response text unless <see cref="WithContent"/> is false. Not thread-safe: one per thread.
/// </summary>
public sealed class InteractionGenerator
{
    /// <summary>Width of a generated trace_id: 32 hex digits, like a W3C/OpenTelemetry trace id.</summary>
    public const int TraceIdLength = 32;

    /// <summary>Width of a generated timestamp, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public const int TimestampLength = 24;

    /// <summary>The timestamp format: fixed width, so a template can be patched in place.</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly Model[] s_models =
    [
        // name, provider, weight, ttft median ms, ms per output token
        new("gpt-4.1-mini", "openai", 34, 280, 9),
        new("gpt-4.1", "openai", 14, 450, 18),
        new("gpt-4.1-nano", "openai", 12, 180, 5),
        new("claude-sonnet-4-20250514", "anthropic", 16, 600, 22),
        new("claude-haiku-3.5", "anthropic", 10, 320, 10),
        new("gemini-2.5-flash", "google", 14, 250, 7),
    ];

    private static readonly (string Name, int Weight)[] s_features =
        [("customer_service", 40), ("search", 20), ("summarization", 15), ("code_assistant", 15), ("agent", 10)];

    private static readonly (string Name, int Weight)[] s_tiers = [("free", 70), ("pro", 25), ("enterprise", 5)];

    private static readonly string[] s_queries =
    [
        "How do I reset my password if I no longer have access to the recovery email?",
        "Summarize the attached meeting notes in five bullet points for the weekly update.",
        "Why was I charged twice this month, and how can I get a refund for order",
        "Write a SQL query that returns the top ten customers by revenue for the last quarter.",
        "What is the difference between the Pro and Enterprise plans regarding data retention?",
        "Translate the following paragraph into French, keeping a formal tone throughout.",
        "Find the clause about early termination in this contract and explain it simply.",
        "My deployment fails with a timeout when pulling the image; what should I check first?",
    ];

    private static readonly string[] s_responses =
    [
        "You can reset it from the sign-in page: choose Forgot password, then verify your identity with the code we send to your phone. If you no longer have the phone either, contact support with a photo ID.",
        "Here is a summary: the launch moves to the second week of the month, QA needs two more testers, the budget review is on Thursday, marketing drafts are ready, and the API migration is done.",
        "I checked the order history: the second charge is a pre-authorization that is released within three business days. If it is still there after that, reply here and I will open a refund request.",
        "SELECT c.id, c.name, SUM(o.total) AS revenue FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.created_at >= date_trunc('quarter', now()) - interval '3 months' GROUP BY c.id, c.name ORDER BY revenue DESC LIMIT 10;",
        "Pro keeps conversation logs for 30 days and Enterprise for up to 7 years, configurable per workspace, with export and legal hold. Enterprise also adds SSO, audit logs and a dedicated region.",
    ];

    private static readonly string[] s_regions = ["us-east-1", "eu-west-1", "ap-southeast-2"];

    private readonly Random _random;
    private readonly int _userCount;

    /// <summary>Creates a generator with its own deterministic random source.</summary>
    public InteractionGenerator(int seed, bool withContent = true, int userCount = 50_000)
    {
        _random = new Random(seed);
        WithContent = withContent;
        _userCount = userCount;
    }

    /// <summary>Whether records carry query and response text.</summary>
    public bool WithContent { get; }

    /// <summary>
    /// Writes the trace id of <paramref name="sequence"/> in run <paramref name="runId"/> into 32 bytes. Random ids (the
    /// default, as real trace ids are) are a bijective mix of run and sequence, so they never repeat within a run and the
    /// same sequence gives the same id; sequential ids (run, then sequence, in hex) sort in arrival order, which is
    /// the easy case for a B-tree index.
    /// </summary>
    public static void FormatTraceId(Span<byte> destination, uint runId, ulong sequence, bool random = true)
    {
        ulong high, low;
        if (random)
        {
            high = Mix(sequence ^ ((ulong)runId << 32));
            low = Mix(high ^ sequence ^ 0x9E3779B97F4A7C15UL);
        }
        else
        {
            high = runId;
            low = sequence;
        }

        high.TryFormat(destination[..16], out _, "x16");
        low.TryFormat(destination.Slice(16, 16), out _, "x16");
    }

    // SplitMix64's finalizer: a bijection on 64 bits, so distinct sequences give distinct high halves.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Writes the timestamp in its fixed-width form into 24 bytes.</summary>
    public static void FormatTimestamp(Span<byte> destination, DateTime utc) =>
        utc.TryFormat(destination[..TimestampLength], out _, TimestampFormat, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes one interaction object.</summary>
    public void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> traceId, DateTime timestampUtc)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var r = _random;
        var model = Pick(s_models);
        var feature = Pick(s_features);
        var tier = Pick(s_tiers);

        // Users: a skewed draw (a few heavy users, a long tail).
        var user = (int)(_userCount * Math.Pow(r.NextDouble(), 2.5));

        var roll = r.NextDouble();
        var hardError = roll < 0.015;
        var refusal = !hardError && roll < 0.023;
        var streaming = r.NextDouble() < 0.6;

        var inputTokens = (long)Math.Round(LogNormal(900, 0.8));
        var outputTokens = hardError ? 0 : Math.Max(1, (long)Math.Round(LogNormal(refusal ? 40 : 180, 0.7)));
        var ttft = LogNormal(model.TtftMs, 0.4);
        var latency = hardError
            ? (roll < 0.006 ? LogNormal(150, 0.5) : Math.Min(60_000, LogNormal(8_000, 0.8)))
            : ttft + (outputTokens * model.MsPerToken * LogNormal(1, 0.2));
        latency = Math.Min(latency, 300_000);

        writer.WriteStartObject();
        writer.WriteString("trace_id"u8, traceId);
        Span<byte> ts = stackalloc byte[TimestampLength];
        FormatTimestamp(ts, timestampUtc);
        writer.WriteString("timestamp"u8, ts);
        writer.WriteString("model"u8, model.Name);
        writer.WriteString("provider"u8, model.Provider);
        writer.WriteString("feature"u8, feature);
        Span<byte> userId = stackalloc byte[16];
        "u-"u8.CopyTo(userId);
        user.TryFormat(userId[2..], out var userDigits, default, System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteString("user_id"u8, userId[..(2 + userDigits)]);
        writer.WriteString("user_tier"u8, tier);
        if (hardError)
        {
            var kind = r.NextDouble();
            var (errorType, status) = kind switch
            {
                < 0.40 => ("rate_limit", 429),
                < 0.65 => ("timeout", 504),
                < 0.95 => ("server_error", r.NextDouble() < 0.5 ? 500 : 503),
                _ => ("context_overflow", 400),
            };
            writer.WriteString("status"u8, "error"u8);
            writer.WriteString("error_type"u8, errorType);
            writer.WriteNumber("http_status"u8, status);
        }
        else
        {
            writer.WriteString("status"u8, "success"u8);
            if (refusal)
            {
                writer.WriteString("error_type"u8, "refusal"u8);
            }

            writer.WriteNumber("http_status"u8, 200);
        }

        if (r.NextDouble() < 0.02)
        {
            writer.WriteString("degradation"u8, "model_fallback"u8);
        }

        writer.WriteNumber("latency_ms"u8, Math.Round(latency, 1));
        if (streaming && !hardError)
        {
            writer.WriteNumber("ttft_ms"u8, Math.Round(Math.Min(ttft, latency), 1));
        }

        writer.WriteNumber("input_tokens"u8, inputTokens);
        writer.WriteNumber("output_tokens"u8, outputTokens);
        if (r.NextDouble() < 0.4)
        {
            writer.WriteNumber("cached_tokens"u8, (long)(inputTokens * r.NextDouble() * 0.8));
        }

        if (r.NextDouble() < 0.3)
        {
            writer.WriteString("cache"u8, r.NextDouble() < 0.25 ? "hit"u8 : "miss"u8);
            writer.WriteString("cache_type"u8, r.NextDouble() < 0.5 ? "semantic"u8 : "exact"u8);
        }

        if (WithContent)
        {
            writer.WriteString("query"u8, s_queries[r.Next(s_queries.Length)]);
            if (!hardError)
            {
                writer.WriteString("response"u8, refusal ? "I'm sorry, but I can't help with that request." : s_responses[r.Next(s_responses.Length)]);
            }
        }

        if (r.NextDouble() < 0.5)
        {
            writer.WriteStartObject("attributes"u8);
            writer.WriteString("region"u8, s_regions[r.Next(s_regions.Length)]);
            writer.WriteString("app_version"u8, r.NextDouble() < 0.8 ? "3.14.2"u8 : "3.15.0-rc1"u8);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private double LogNormal(double median, double sigma)
    {
        // Box-Muller: one standard normal draw.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var z = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return median * Math.Exp(sigma * z);
    }

    private Model Pick(Model[] models)
    {
        var total = 0;
        foreach (var m in models)
        {
            total += m.Weight;
        }

        var x = _random.Next(total);
        foreach (var m in models)
        {
            if ((x -= m.Weight) < 0)
            {
                return m;
            }
        }

        return models[^1];
    }

    private string Pick((string Name, int Weight)[] choices)
    {
        var total = 0;
        foreach (var c in choices)
        {
            total += c.Weight;
        }

        var x = _random.Next(total);
        foreach (var (name, weight) in choices)
        {
            if ((x -= weight) < 0)
            {
                return name;
            }
        }

        return choices[^1].Name;
    }

    private sealed record Model(string Name, string Provider, int Weight, double TtftMs, double MsPerToken);
}
