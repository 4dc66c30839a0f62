using Vigil.Alerting.Notifications;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>The fingerprint Alertmanager gives an alert (Prometheus's labelSetToFingerprint test vectors).</summary>
public sealed class LabelFingerprintTests
{
    [Fact]
    public void Compute_PrometheusTestVectors_SameFingerprints()
    {
        Assert.Equal("cbf29ce484222325", LabelFingerprint.Compute(new Dictionary<string, string>()));
        Assert.Equal("507a62d79ee76c9a", LabelFingerprint.Compute(new Dictionary<string, string> { ["name"] = "garland, briggs", ["fear"] = "love is not enough" }));
    }

    [Fact]
    public void Compute_LabelsInAnotherOrder_SameFingerprint()
    {
        var a = LabelFingerprint.Compute(new Dictionary<string, string> { ["a"] = "b", ["c"] = "d" });
        var b = LabelFingerprint.Compute(new Dictionary<string, string> { ["c"] = "d", ["a"] = "b" });

        Assert.Equal(a, b);
        Assert.NotEqual(a, LabelFingerprint.Compute(new Dictionary<string, string> { ["a"] = "b", ["c"] = "e" }));
    }
}
