using System.Globalization;

namespace Vigil.Classification;

/// <summary>Interned label text for HTTP statuses, so recording an error code allocates nothing.</summary>
internal static class StatusLabels
{
    private static readonly string[] Labels = Enumerable.Range(0, 600).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static string Of(int status) => (uint)status < (uint)Labels.Length ? Labels[status] : "0";
}
