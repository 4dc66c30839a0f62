using System.Text.Json.Nodes;

namespace Vigil.Tests.Sinks;

/// <summary>One request the <see cref="CollectorStub"/> received.</summary>
public sealed record CollectorStubRequest(Uri Uri, string Body, string? ContentType, string? IdempotencyKey, string? Authorization)
{
    /// <summary>The records of the batch body (<c>{"interactions": [..]}</c> or <c>{"feedback": [..]}</c>).</summary>
    public JsonArray Records
    {
        get
        {
            var root = JsonNode.Parse(Body)!.AsObject();
            return Assert.Single(root).Value!.AsArray();
        }
    }

    /// <summary>How many records the batch holds.</summary>
    public int Count => Records.Count;

    /// <summary>Each record's trace_id, or its comment when it has none.</summary>
    public IReadOnlyList<string> Ids =>
        [.. Records.Select(r => (r!["trace_id"] ?? r["comment"])?.GetValue<string>() ?? "")];
}
