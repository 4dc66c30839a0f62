using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

public sealed class StoredTraceIdsTests
{
    [Fact]
    public void MayContain_AddedIdsAlwaysAndOthersRarely_OnceComplete()
    {
        var filter = new StoredTraceIds(64 * 1024);
        var added = Enumerable.Range(0, 20_000).Select(i => $"{i:x8}{i * 7919:x24}").ToList();
        added.ForEach(filter.Add);

        Assert.True(filter.MayContain("never-added"), "an incomplete filter must answer maybe");
        filter.MarkComplete();

        Assert.All(added, id => Assert.True(filter.MayContain(id)));
        var falseMaybes = Enumerable.Range(0, 20_000).Count(i => filter.MayContain($"other-{i}"));
        Assert.InRange(falseMaybes, 0, 400); // 512 Ki bits, 20,000 ids, 6 bits each: about 0.1 % expected
    }
}
