namespace Vigil.Benchmarks;

/// <summary>Hands one object to <c>ChatClientBuilder.Build</c>, so <c>UseVigil()</c> picks up the benchmark's own <c>VigilMetrics</c>.</summary>
public sealed class SingleServiceProvider(object service) : IServiceProvider
{
    public object? GetService(Type serviceType) => serviceType.IsInstanceOfType(service) ? service : null;
}
