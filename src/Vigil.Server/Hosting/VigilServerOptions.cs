using System.ComponentModel.DataAnnotations;
using Vigil.Server.Storage;

namespace Vigil.Server.Hosting;

/// <summary>The collector's options, bound from <c>Vigil:Server</c> (where <c>vigil serve</c> puts its flags too).</summary>
public sealed class VigilServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Server";

    /// <summary>Where <c>vigil serve</c> listens, ';'-separated. Default http://127.0.0.1:5080. (An app that hosts the collector listens where it decides.)</summary>
    [Required]
    public string Urls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The SQLite store's directory. Default ./data.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>A PostgreSQL connection string or postgres:// URI; when set, PostgreSQL is the store.</summary>
    public string? Store { get; set; }

    /// <summary>Keys that may post interactions and feedback; those of <c>VIGIL_INGEST_KEYS</c> are added after binding.</summary>
    public IList<string> IngestKeys { get; } = [];

    /// <summary>Keys that may read reports, records and metrics; those of <c>VIGIL_READ_KEYS</c> are added after binding.</summary>
    public IList<string> ReadKeys { get; } = [];

    /// <summary>Keys that may change the collector's state by hand (<c>PUT /v1/incident</c>); those of <c>VIGIL_ADMIN_KEYS</c> are added after binding.</summary>
    public IList<string> AdminKeys { get; } = [];

    /// <summary>Largest request body in bytes. Default 16 MiB.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 16L << 20;

    /// <summary>Most records in one batch. Default 1000 (the contract's).</summary>
    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 1000;

    /// <summary>What happens to query, response and context text: store, redact or drop. Default store.</summary>
    public ContentMode Content { get; set; } = ContentMode.Store;

    /// <summary>SQLite synchronous=FULL (survives power loss, slower) instead of NORMAL (survives a killed process).</summary>
    public bool SqliteFullSync { get; set; }

    /// <summary>
    /// The OpenAI-compatible base URL of the online LLM judge (e.g. <c>http://127.0.0.1:8000/v1</c>); none (the default)
    /// turns the online judge off. Sampling and queue: <c>Vigil:OnlineEvaluation</c>; judge settings: <c>Vigil:Judge</c>.
    /// </summary>
    public string? JudgeEndpoint { get; set; }

    /// <summary>The judge model; required with <see cref="JudgeEndpoint"/> unless <c>Vigil:Judge:JudgeModel</c> is set.</summary>
    public string? JudgeModel { get; set; }

    /// <summary>The environment variable holding the judge's API key. Default <c>VIGIL_JUDGE_API_KEY</c>; unset sends no key.</summary>
    public string JudgeApiKeyVariable { get; set; } = "VIGIL_JUDGE_API_KEY";

    /// <summary>Tuning of the embedded SQLite store (page size of a new file, checkpoint interval, WAL size); defaults suit most.</summary>
    public SqliteVigilStoreOptions Sqlite { get; } = new();

    /// <summary>True when any key is configured.</summary>
    public bool RequiresKeys => IngestKeys.Count > 0 || ReadKeys.Count > 0 || AdminKeys.Count > 0;
}
