using System.Text.Json.Nodes;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Drift;

/// <summary>
/// Query embeddings as an app would post them, from a seeded source: each vector is a topic's centre plus N(0, 1)
/// noise in every dimension. The base topic's centre is 2 in every dimension; the shifted one moves the first half
/// of the dimensions to 4 and the second half to 1 (a cosine distance of about 0.14 between the centres).
/// </summary>
internal sealed class EmbeddingStream(int seed, int dimensions = 16)
{
    private readonly Random _random = new(seed);
    private DateTimeOffset _next = DateTimeOffset.UtcNow.AddMinutes(-30);

    public int Dimensions => dimensions;

    /// <summary>A vector of the base topic.</summary>
    public float[] Base() => Vector(_ => 2.0);

    /// <summary>A vector of the shifted topic.</summary>
    public float[] Shifted() => Vector(d => d < dimensions / 2 ? 4.0 : 1.0);

    /// <summary>Interactions carrying <paramref name="vectors"/>, with timestamps a millisecond apart, in order.</summary>
    public List<JsonObject> Interactions(IEnumerable<float[]> vectors) => [.. vectors.Select(v => Interaction(v))];

    /// <summary>An interaction with <paramref name="embedding"/> and/or <paramref name="query"/>, later than the previous one.</summary>
    public JsonObject Interaction(float[]? embedding = null, string? query = null)
    {
        _next = _next.AddMilliseconds(1);
        var record = TestRecords.Interaction(TestRecords.NewTraceId("drift"), timestamp: _next);
        if (embedding is not null)
        {
            record["embedding"] = new JsonArray([.. embedding.Select(v => JsonValue.Create(v))]);
        }

        if (query is not null)
        {
            record["query"] = query;
        }

        return record;
    }

    private float[] Vector(Func<int, double> centre)
    {
        var vector = new float[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            vector[d] = (float)(centre(d) + Gaussian());
        }

        return vector;
    }

    private double Gaussian()
    {
        // Box–Muller.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
