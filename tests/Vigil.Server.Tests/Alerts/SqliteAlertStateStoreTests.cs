using Vigil.Alerting.Engine;
using Vigil.Server.Storage.Alerts;

namespace Vigil.Server.Tests.Alerts;

public sealed class SqliteAlertStateStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-alert-states-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task SaveAsync_ThenLoadAsync_ReturnsTheLastSavedAlerts()
    {
        using var store = new SqliteAlertStateStore(Path.Combine(_dir, "vigil.db"), TimeSpan.FromSeconds(5));
        var since = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var first = new StoredAlertState("0123456789abcdef", "LLMQualityDrift",
            new Dictionary<string, string> { ["alertname"] = "LLMQualityDrift", ["model"] = "m\"x" }, "firing", since, 2.5);
        var second = first with { Fingerprint = "fedcba9876543210", State = "pending", Value = null };

        await store.SaveAsync([first, second]);
        await store.SaveAsync([second]);
        using var reopened = new SqliteAlertStateStore(Path.Combine(_dir, "vigil.db"), TimeSpan.FromSeconds(5));
        var loaded = await reopened.LoadAsync();

        var alert = Assert.Single(loaded);
        Assert.Equal(second.Fingerprint, alert.Fingerprint);
        Assert.Equal("pending", alert.State);
        Assert.Equal(since, alert.Since);
        Assert.Null(alert.Value);
        Assert.Equal("m\"x", alert.Labels["model"]);
    }
}
