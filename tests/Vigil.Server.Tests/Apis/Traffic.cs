using System.Text.Json.Nodes;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Apis;

/// <summary>
/// Seeded, realistic traffic: lognormal latencies, streaming calls with a ttft, two models, three features, two
/// tiers, hard errors (given and derived from http_status) and soft errors, tokens and response-cache outcomes.
/// </summary>
public sealed class Traffic
{
    private static readonly (string Model, decimal Input, decimal Output)[] Models = [("gpt-4.1-mini", 0.4m, 1.6m), ("gpt-4.1", 2.0m, 8.0m)];
    private static readonly string[] Features = ["customer_service", "search", "summarize"];
    private static readonly string[] Tiers = ["free", "pro"];

    private Traffic(List<JsonObject> records) => Records = records;

    /// <summary>The records, in posting order.</summary>
    public IReadOnlyList<JsonObject> Records { get; }

    /// <summary><paramref name="count"/> records from <paramref name="seed"/>, stamped within the last 40 minutes.</summary>
    public static Traffic Generate(int seed, int count)
    {
        var random = new Random(seed);
        var now = DateTimeOffset.UtcNow;
        var records = new List<JsonObject>(count);
        for (var i = 0; i < count; i++)
        {
            var model = Models[random.Next(10) < 7 ? 0 : 1].Model;
            var latency = Math.Round(Math.Min(ExactStatistics.NextLogNormal(random, Math.Log(model == "gpt-4.1" ? 1400 : 700), 0.7), 3_600_000), 3);
            var record = TestRecords.Interaction($"traffic-{seed}-{i}-{Guid.NewGuid():N}", model, latency, now.AddSeconds(-random.Next(5, 40 * 60)));
            record["feature"] = Features[random.Next(Features.Length)];
            record["user_tier"] = Tiers[random.Next(10) < 8 ? 0 : 1];
            record["user_id"] = $"user-{random.Next(50)}";
            record["provider"] = "openai";
            if (random.Next(2) == 0)
            {
                record["ttft_ms"] = Math.Round(latency * (0.05 + (0.4 * random.NextDouble())), 3);
            }

            record["input_tokens"] = random.Next(50, 4000);
            record["output_tokens"] = random.Next(0, 1500);
            var roll = random.Next(100);
            if (roll < 6)
            {
                record["status"] = "error";
                record["error_type"] = Pick(random, ["rate_limit", "timeout", "server_error"]);
                record["output_tokens"] = 0;
            }
            else if (roll < 9)
            {
                // A hard error without error_type: derived from http_status.
                record["status"] = "error";
                record["http_status"] = Pick(random, [429, 503, 500]);
                record["output_tokens"] = 0;
            }
            else if (roll < 14)
            {
                record["error_type"] = Pick(random, ["refusal", "low_quality", "format_error"]); // soft: success, not good
            }

            var cache = random.Next(10);
            if (cache < 3)
            {
                record["cache"] = cache == 0 ? "hit" : "miss";
            }

            records.Add(TestRecords.Reparse(record));
        }

        return new Traffic(records);
    }

    /// <summary>The cost of a record: its cost_usd when given, else input and output tokens at the catalog's price per 1M.</summary>
    public static decimal ExpectedCost(JsonObject record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record["cost_usd"] is { } given)
        {
            return given.GetValue<decimal>();
        }

        var price = Models.Single(m => m.Model == record["model"]!.GetValue<string>());
        return ((record["input_tokens"]!.GetValue<long>() * price.Input) + (record["output_tokens"]!.GetValue<long>() * price.Output)) / 1_000_000m;
    }

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];
}
