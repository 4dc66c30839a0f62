using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.Incidents;
using Vigil.Tests.Infrastructure;

namespace Vigil.Tests.Incidents;

public sealed class IncidentServiceCollectionExtensionsTests
{
    private static ServiceProvider Provider(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddVigilIncidents()
            .BuildServiceProvider();

    [Fact]
    public void AddVigilIncidents_BindsOptionsFromConfiguration()
    {
        using var provider = Provider(new()
        {
            ["Vigil:Incidents:MinRequests"] = "50",
            ["Vigil:Incidents:HoldPeriod"] = "00:10:00",
            ["Vigil:Incidents:HighP99Latency"] = "00:00:20",
            ["Vigil:Degradation:DefaultLanguage"] = "en",
            ["Vigil:Degradation:StaticResponses:fr"] = "Réessayez plus tard.",
        });

        var incidents = provider.GetRequiredService<IncidentResponder>().Options;
        var degradation = provider.GetRequiredService<IOptions<DegradationOptions>>().Value;

        Assert.Equal(50, incidents.MinRequests);
        Assert.Equal(TimeSpan.FromMinutes(10), incidents.HoldPeriod);
        Assert.Equal(TimeSpan.FromSeconds(20), incidents.HighP99Latency);
        Assert.Equal(0.90, incidents.CriticalSuccessRate);
        Assert.Equal("en", degradation.DefaultLanguage);
        Assert.Equal("Réessayez plus tard.", degradation.StaticResponseFor("fr"));
        Assert.Equal(DegradationOptions.DefaultChineseResponse, degradation.StaticResponseFor("zh"));
        Assert.Same(provider.GetRequiredService<IncidentResponder>(), provider.GetRequiredService<IDegradationModeSource>());
    }

    [Theory]
    [InlineData("Vigil:Incidents:MinRequests", "0", "MinRequests")]
    [InlineData("Vigil:Incidents:CriticalSuccessRate", "1.5", "CriticalSuccessRate")]
    [InlineData("Vigil:Incidents:Window", "00:00:00.500", "Window")]
    [InlineData("Vigil:Incidents:AssessInterval", "00:00:00", "AssessInterval")]
    public void AddVigilIncidents_InvalidOptions_FailValidationNamingTheMember(string key, string value, string member)
    {
        using var provider = Provider(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<IncidentOptions>>().Value);

        Assert.Contains(member, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task UseDegradation_FromServices_FollowsTheRegisteredResponder(bool streaming)
    {
        using var provider = Provider(new() { ["Vigil:Degradation:DefaultLanguage"] = "en" });
        var client = new ChatClientBuilder(FakeChatClient.Replying("The capital of France is Paris.")).UseDegradation().Build(provider);
        provider.GetRequiredService<IncidentResponder>().Override(DegradationMode.StaticResponse, "drill");

        var outcome = await ChatDriver.RunAsync(client, streaming);

        Assert.Equal(DegradationOptions.DefaultEnglishResponse, outcome.Text);
    }
}
