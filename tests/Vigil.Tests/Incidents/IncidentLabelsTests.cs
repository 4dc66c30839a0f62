using Vigil.Incidents;
using Vigil.Records;

namespace Vigil.Tests.Incidents;

public sealed class IncidentLabelsTests
{
    [Theory]
    [InlineData(DegradationMode.Normal, "normal", Degradation.None)]
    [InlineData(DegradationMode.FallbackModel, "fallback_model", Degradation.ModelFallback)]
    [InlineData(DegradationMode.CachedOnly, "cached_only", Degradation.CacheFallback)]
    [InlineData(DegradationMode.StaticResponse, "static_response", Degradation.DefaultResponse)]
    [InlineData(DegradationMode.Disabled, "disabled", Degradation.DefaultResponse)]
    public void Of_EachMode_IsTheContractsNameAndDegradation(DegradationMode mode, string name, Degradation degradation)
    {
        Assert.Equal(name, IncidentLabels.Of(mode));
        Assert.Equal(degradation, IncidentLabels.DegradationOf(mode));
        Assert.True(IncidentLabels.TryParse(name, out var parsed));
        Assert.Equal(mode, parsed);
    }

    [Fact]
    public void TryParse_UnknownName_Fails()
    {
        Assert.False(IncidentLabels.TryParse("panic", out _));
    }
}
