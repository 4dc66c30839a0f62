using System.Net;
using System.Net.Sockets;

namespace Vigil.Server.Tests.Infrastructure.Tools;

/// <summary>Free TCP ports on 127.0.0.1, for servers that must be told their port on the command line.</summary>
public static class LoopbackPort
{
    /// <summary>A port free now. Another process may take it before the server binds it: callers retry on "address already in use".</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The output of a server that could not bind its port says so.</summary>
    public static bool WasTaken(string output) =>
        output.Contains("address already in use", StringComparison.OrdinalIgnoreCase);
}
