using Vigil.Server.Hosting;

namespace Vigil.Server.Security;

/// <summary>The contract's environment variables of API keys, merged into <see cref="VigilServerOptions"/> after binding.</summary>
internal static class ApiKeyVariables
{
    /// <summary>Comma-separated keys of the ingest scope.</summary>
    public const string Ingest = "VIGIL_INGEST_KEYS";

    /// <summary>Comma-separated keys of the read scope.</summary>
    public const string Read = "VIGIL_READ_KEYS";

    /// <summary>Comma-separated keys of the admin scope.</summary>
    public const string Admin = "VIGIL_ADMIN_KEYS";

    /// <summary>Adds the keys of the variables to those bound from <c>Vigil:Server</c> (a <c>PostConfigure</c> action).</summary>
    public static void AddTo(VigilServerOptions options)
    {
        AddKeys(options.IngestKeys, Ingest);
        AddKeys(options.ReadKeys, Read);
        AddKeys(options.AdminKeys, Admin);
    }

    private static void AddKeys(IList<string> keys, string variable)
    {
        foreach (var key in (Environment.GetEnvironmentVariable(variable) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            keys.Add(key);
        }
    }
}
