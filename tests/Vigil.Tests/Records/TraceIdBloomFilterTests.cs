using Vigil.Records;

namespace Vigil.Tests.Records;

public sealed class TraceIdBloomFilterTests
{
    [Fact]
    public void Add_SameIdTwice_SecondAnswersMaybeAndAddedIdsAreNeverForgotten()
    {
        var filter = new TraceIdBloomFilter(64 * 1024);
        var ids = Enumerable.Range(0, 10_000).Select(i => $"{i:x8}{i * 7919:x24}").ToList();

        var firstMaybes = ids.Count(filter.Add);

        Assert.InRange(firstMaybes, 0, 100); // 512 Ki bits, 10,000 ids, 6 bits each: a few false "maybe"s at most
        Assert.All(ids, id => Assert.True(filter.Add(id)));
        Assert.All(ids, id => Assert.True(filter.MayContain(id)));
    }

    [Fact]
    public void MayContain_IdsNeverAdded_RarelyMaybe()
    {
        var filter = new TraceIdBloomFilter(64 * 1024);
        for (var i = 0; i < 20_000; i++)
        {
            filter.Add($"added-{i}");
        }

        var falseMaybes = Enumerable.Range(0, 20_000).Count(i => filter.MayContain($"other-{i}"));

        Assert.InRange(falseMaybes, 0, 400);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(8, 1)]
    [InlineData(100, 8)]
    [InlineData(16 * 1024 * 1024, 2 * 1024 * 1024)]
    public void WordsOf_Bytes_RoundedDownToAPowerOfTwoOfWords(long bytes, int words) =>
        Assert.Equal(words, TraceIdBloomFilter.WordsOf(bytes));
}
