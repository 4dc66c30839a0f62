using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace Vigil.Server.Dashboard;

/// <summary>
/// The dashboard page's files, embedded in this assembly (<c>Dashboard/Assets/**</c>, the vendored Chart.js with them),
/// read once: the page needs nothing from outside the collector, not even from its disk.
/// </summary>
internal static class DashboardAssets
{
    /// <summary>The page itself.</summary>
    public const string IndexPath = "index.html";

    private const string ResourcePrefix = "Vigil.Server.Dashboard.Assets/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".md"] = "text/plain; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, DashboardAsset>> Files = new(Load);

    /// <summary>Every file, by its path (e.g. <c>dashboard.js</c>, <c>vendor/chart.js/chart.umd.min.js</c>).</summary>
    public static FrozenDictionary<string, DashboardAsset> All => Files.Value;

    /// <summary>The file at <paramref name="path"/>, or null.</summary>
    public static DashboardAsset? Find(string? path) => path is not null && All.TryGetValue(path, out var asset) ? asset : null;

    private static FrozenDictionary<string, DashboardAsset> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, DashboardAsset>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var path = name[ResourcePrefix.Length..].Replace('\\', '/');
            if (!ContentTypes.TryGetValue(System.IO.Path.GetExtension(path), out var contentType))
            {
                continue; // e.g. the vendored VERSION note: not served
            }

            var content = Read(assembly, name);
            var tag = Convert.ToBase64String(SHA256.HashData(content), 0, 18).Replace('+', '-').Replace('/', '_');
            files[path] = new DashboardAsset(path, content, contentType, new EntityTagHeaderValue($"\"{tag}\""));
        }

        if (!files.ContainsKey(IndexPath))
        {
            throw new InvalidOperationException($"The dashboard page ({ResourcePrefix}{IndexPath}) is not embedded in {assembly.GetName().Name}.");
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static byte[] Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"No resource {name}.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
