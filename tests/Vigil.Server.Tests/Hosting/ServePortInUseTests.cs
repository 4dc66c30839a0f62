using System.Net;
using System.Net.Sockets;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Hosting;

/// <summary><c>vigil serve</c> as a process, on an address another process already listens on.</summary>
public sealed class ServePortInUseTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("vigil-port-in-use-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Serve_AddressInUse_ExitsOneNamingTheAddressWithoutSayingItListens()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";
        var (exitCode, stdout, errors) = await VigilCliProcess.RunToExitAsync(VigilCliProcess.ServeStartInfo(["--urls", address, "--data", _data]));

        Assert.True(exitCode == 1, $"exit {exitCode}: {errors}{stdout}");
        Assert.Contains($"vigil serve: Failed to bind to address {address}: address already in use", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("listening on", errors, StringComparison.Ordinal);
    }
}
