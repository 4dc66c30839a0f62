using System.Text.Json;

namespace Vigil.Cli.Tests.Commands;

/// <summary>User queries of two topics, cooking and tax, made from templates with a seeded random source.</summary>
internal sealed class TopicQueries(int seed)
{
    private static readonly string[] Dishes =
        ["chicken", "salmon", "risotto", "lasagna", "pancakes", "sourdough bread", "beef stew", "tofu stir-fry", "apple pie", "vegetable soup", "brownies", "paella"];

    private static readonly string[] CookingTemplates =
    [
        "How long should I bake {0} in the oven?", "What temperature do I cook {0} at?", "Can I make {0} ahead of time and freeze it?",
        "What spices go well with {0}?", "How do I keep {0} from drying out?", "What can I substitute for butter when making {0}?",
        "Is it safe to eat {0} left out overnight?", "How do I reheat {0} without ruining it?",
    ];

    private static readonly string[] TaxSubjects =
    [
        "a home office", "charitable donations", "student loan interest", "capital gains from stocks", "a rental property", "freelance income",
        "medical expenses", "a company car", "cryptocurrency sales", "childcare costs", "mortgage interest", "retirement contributions",
    ];

    private static readonly string[] TaxTemplates =
    [
        "Can I deduct {0} on my income tax return?", "How is {0} taxed this year?", "What forms do I need to report {0} to the tax office?",
        "Do I have to pay quarterly estimated tax on {0}?", "What records should I keep for {0} in case of an audit?", "Is there a tax credit for {0}?",
        "What is the deadline to file taxes that include {0}?", "How do I amend my return to add {0}?",
    ];

    private readonly Random _random = new(seed);

    public string Cooking() => Fill(CookingTemplates, Dishes);

    public string Tax() => Fill(TaxTemplates, TaxSubjects);

    /// <summary><paramref name="cooking"/> cooking and <paramref name="tax"/> tax queries, shuffled.</summary>
    public List<string> Mix(int cooking, int tax)
    {
        var queries = Enumerable.Range(0, cooking).Select(_ => Cooking()).Concat(Enumerable.Range(0, tax).Select(_ => Tax())).ToList();
        for (var i = queries.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (queries[i], queries[j]) = (queries[j], queries[i]);
        }

        return queries;
    }

    /// <summary>An interaction record of the contract, with the query (and response) but no embedding.</summary>
    public static string Interaction(int index, string query, string response = "Here is what I found.") => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["trace_id"] = $"trace-{index}",
        ["timestamp"] = "2026-03-01T12:00:00Z",
        ["model"] = "gpt-4.1-mini",
        ["status"] = "success",
        ["latency_ms"] = 840,
        ["query"] = query,
        ["response"] = response,
    });

    private string Fill(string[] templates, string[] subjects) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, templates[_random.Next(templates.Length)], subjects[_random.Next(subjects.Length)]);
}
