using System.Text.Json.Nodes;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Ingest;

/// <summary>What the collector keeps of query, response, context and comments under each <see cref="ContentMode"/>.</summary>
/// <typeparam name="TStore">The store the collector runs on.</typeparam>
public abstract class ContentModeTests<TStore> : CollectorTestBase<TStore>
    where TStore : TestStore, new()
{
    private const string Query = "I am jane.doe@example.com, call me on +1 415 555 0100, card 4111 1111 1111 1111.";
    private const string Response = "Use the key sk-abcdefghijklmnopqrstuvwx to log in.";
    private const string Context = "Account owner: jane.doe@example.com";
    private const string Comment = "Write to me at jane.doe@example.com";

    protected override bool StartsCollector => false;

    [Fact]
    public async Task PostInteraction_ContentStore_KeepsTextAsSent()
    {
        await StartCollectorAsync(o => o.Content = ContentMode.Store);

        var (interaction, feedback) = await PostWithTextAsync();

        Assert.Equal(Query, interaction["query"]!.GetValue<string>());
        Assert.Equal(Response, interaction["response"]!.GetValue<string>());
        Assert.Equal(Context, interaction["context"]!.GetValue<string>());
        Assert.Equal(Comment, feedback["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostInteraction_ContentRedact_MasksAddressesNumbersAndSecrets()
    {
        await StartCollectorAsync(o => o.Content = ContentMode.Redact);

        var (interaction, feedback) = await PostWithTextAsync();

        var query = interaction["query"]!.GetValue<string>();
        Assert.DoesNotContain("jane.doe@example.com", query, StringComparison.Ordinal);
        Assert.DoesNotContain("555 0100", query, StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111 1111 1111", query, StringComparison.Ordinal);
        Assert.StartsWith("I am ", query, StringComparison.Ordinal);
        Assert.Contains("[email]", query, StringComparison.Ordinal);
        var response = interaction["response"]!.GetValue<string>();
        Assert.DoesNotContain("sk-abcdefghijklmnopqrstuvwx", response, StringComparison.Ordinal);
        Assert.StartsWith("Use the key ", response, StringComparison.Ordinal);
        Assert.DoesNotContain("jane.doe@example.com", interaction["context"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Write to me at [email]", feedback["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostInteraction_ContentDrop_KeepsNoTextButEveryOtherField()
    {
        await StartCollectorAsync(o => o.Content = ContentMode.Drop);

        var (interaction, _) = await PostWithTextAsync();

        Assert.Null(interaction["query"]);
        Assert.Null(interaction["response"]);
        Assert.Null(interaction["context"]);
        Assert.Equal("gpt-4.1-mini", interaction["model"]!.GetValue<string>());
        Assert.Equal(120, interaction["input_tokens"]!.GetValue<long>());
        Assert.Equal("support", interaction["feature"]!.GetValue<string>());
    }

    private async Task<(JsonObject Interaction, JsonObject Feedback)> PostWithTextAsync()
    {
        var record = TestRecords.Interaction();
        record["feature"] = "support";
        record["input_tokens"] = 120;
        record["query"] = Query;
        record["response"] = Response;
        record["context"] = Context;
        var traceId = record["trace_id"]!.GetValue<string>();
        await Client.PostInteractionsAsync([record]);
        await Client.PostFeedbackAsync([TestRecords.Feedback(traceId, "text", null, Comment)]);

        var stored = await Client.GetInteractionAsync(traceId);
        return (stored["interaction"]!.AsObject(), stored["feedback"]!.AsArray().Single()!.AsObject());
    }
}
