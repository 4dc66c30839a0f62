using Vigil.Records;
using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

/// <summary>The stores' idempotency keys: remembered in the transaction of their records, per endpoint, pruned after a day.</summary>
public abstract partial class VigilStoreContractTests
{
    [Fact]
    public async Task UpsertInteractionsAsync_WithKeys_RemembersEachWithItsCountOnItsEndpointOnly()
    {
        await Store.UpsertInteractionsAsync([Interaction("a", T0), Interaction("b", T0)], [new("key-1", 2), new("key-2", 5)]);

        var found = await Store.FindIdempotencyKeysAsync(IdempotencyScope.Interactions, ["key-1", "key-2", "key-3"]);

        Assert.Equal(new Dictionary<string, int> { ["key-1"] = 2, ["key-2"] = 5 }, found);
        Assert.Empty(await Store.FindIdempotencyKeysAsync(IdempotencyScope.Feedback, ["key-1", "key-2"]));
        Assert.NotNull(await Store.GetInteractionAsync("b"));
    }

    [Fact]
    public async Task UpsertInteractionsAsync_KeyAlreadyRemembered_FailsAndStoresNothing()
    {
        await Store.UpsertInteractionsAsync([Interaction("a", T0)], [new("key-1", 1)]);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.UpsertInteractionsAsync([Interaction("b", T0)], [new("key-2", 1), new("key-1", 1)]));

        Assert.Null(await Store.GetInteractionAsync("b"));
        Assert.Equal(["key-1"], (await Store.FindIdempotencyKeysAsync(IdempotencyScope.Interactions, ["key-1", "key-2"])).Keys);
        await Store.UpsertInteractionsAsync([Interaction("c", T0)]);
        Assert.NotNull(await Store.GetInteractionAsync("c"));
    }

    [Fact]
    public async Task AddFeedbackAsync_KeyAlreadyRemembered_FailsAndStoresNothing()
    {
        await Store.AddFeedbackAsync([Feedback("a", FeedbackType.Thumbs, 1, T0)], [new("key-1", 1)]);

        await Assert.ThrowsAnyAsync<Exception>(() => Store.AddFeedbackAsync([Feedback("a", FeedbackType.Thumbs, 0, T0)], [new("key-1", 1)]));

        Assert.Equal(1, Assert.Single(await Store.GetFeedbackForTraceAsync("a")).Value);
        Assert.Equal(new Dictionary<string, int> { ["key-1"] = 1 }, await Store.FindIdempotencyKeysAsync(IdempotencyScope.Feedback, ["key-1"]));
        Assert.Empty(await Store.FindIdempotencyKeysAsync(IdempotencyScope.Interactions, ["key-1"]));
    }

    [Fact]
    public async Task FindIdempotencyKeysAsync_AfterReopen_StillFindsThem()
    {
        await Store.UpsertInteractionsAsync([Interaction("a", T0)], [new("key-1", 1)]);
        await Store.AddFeedbackAsync([Feedback("a", FeedbackType.Rating, 5, T0)], [new("key-1", 7)]);

        await ReopenAsync();

        Assert.Equal(1, (await Store.FindIdempotencyKeysAsync(IdempotencyScope.Interactions, ["key-1"]))["key-1"]);
        Assert.Equal(7, (await Store.FindIdempotencyKeysAsync(IdempotencyScope.Feedback, ["key-1"]))["key-1"]);
    }

    [Fact]
    public async Task UpsertInteractionsAsync_KeysOlderThanADay_ArePrunedByALaterWriteWithKeys()
    {
        await Store.UpsertInteractionsAsync([Interaction("a", T0)], [new("old", 1)]);
        Time.Advance(TimeSpan.FromHours(23));
        await Store.UpsertInteractionsAsync([Interaction("b", T0)], [new("younger", 1)]);
        Assert.Equal(2, (await Store.FindIdempotencyKeysAsync(IdempotencyScope.Interactions, ["old", "younger"])).Count);

        Time.Advance(TimeSpan.FromHours(2));
        await Store.AddFeedbackAsync([Feedback("a", FeedbackType.Thumbs, 1, T0)], [new("new", 1)]);

        Assert.Equal(["younger"], (await Store.FindIdempotencyKeysAsync(IdempotencyScope.Interactions, ["old", "younger"])).Keys);
        await Store.UpsertInteractionsAsync([Interaction("c", T0)], [new("old", 1)]);
        Assert.NotNull(await Store.GetInteractionAsync("c"));
    }
}
