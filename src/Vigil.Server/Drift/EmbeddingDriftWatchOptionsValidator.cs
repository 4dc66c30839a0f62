using System.Globalization;
using Microsoft.Extensions.Options;
using Vigil.Server.Hosting;

namespace Vigil.Server.Drift;

/// <summary>
/// What <see cref="EmbeddingDriftWatchOptions"/>' annotations cannot say: the interval and restore span in range, the
/// methods known, a reference file named, and query text kept when the local model is to embed it.
/// </summary>
internal sealed class EmbeddingDriftWatchOptionsValidator(IOptions<VigilServerOptions> server) : IValidateOptions<EmbeddingDriftWatchOptions>
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxInterval = TimeSpan.FromDays(1);
    private static readonly TimeSpan MaxRestoreSpan = TimeSpan.FromDays(3650);

    public ValidateOptionsResult Validate(string? name, EmbeddingDriftWatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Skip;
        }

        var section = EmbeddingDriftWatchOptions.SectionName;
        var failures = new List<string>();
        if (options.Interval < MinInterval || options.Interval > MaxInterval)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:Interval must be from 00:00:00.010 to 1.00:00:00 (10 ms to a day), not {options.Interval}."));
        }

        if (options.RestoreSpan < TimeSpan.Zero || options.RestoreSpan > MaxRestoreSpan)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{section}:RestoreSpan must be from 0 (no restore) to 3650 days, not {options.RestoreSpan}."));
        }

        try
        {
            EmbeddingDriftWatchServiceCollectionExtensions.ParseMethods(options.Methods);
        }
        catch (VigilServerStartupException ex)
        {
            failures.Add(ex.Message);
        }

        if (options.ReferenceFile is { } file && string.IsNullOrWhiteSpace(file))
        {
            failures.Add($"{section}:ReferenceFile is blank; give a path or remove the setting.");
        }

        if (options.LocalModel && server.Value.Content == ContentMode.Drop)
        {
            failures.Add(
                $"{section}:LocalModel embeds the records' query, but {VigilServerOptions.SectionName}:Content is Drop, " +
                "so no query is kept: set Content to Store or Redact, or turn LocalModel off (records that carry an embedding still count).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
