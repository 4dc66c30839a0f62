using Microsoft.Net.Http.Headers;

namespace Vigil.Server.Dashboard;

/// <summary>One file of the dashboard page, as it is served.</summary>
/// <param name="Path">Its path under <c>dashboard/</c> (<c>index.html</c> is the page itself, served at <c>/</c>).</param>
/// <param name="Content">Its bytes.</param>
/// <param name="ContentType">Its media type.</param>
/// <param name="ETag">A strong entity tag of its content.</param>
internal sealed record DashboardAsset(string Path, ReadOnlyMemory<byte> Content, string ContentType, EntityTagHeaderValue ETag);
