namespace Vigil.Reports;

/// <summary>Every registered <see cref="IReportContributor"/>, applied in registration order.</summary>
public sealed class ReportContributors
{
    private readonly IReportContributor[] _contributors;

    /// <summary>Applies <paramref name="contributors"/>.</summary>
    public ReportContributors(IEnumerable<IReportContributor> contributors) =>
        _contributors = [.. contributors ?? throw new ArgumentNullException(nameof(contributors))];

    /// <summary>None: reports stay as built.</summary>
    public static ReportContributors None { get; } = new([]);

    /// <summary>The report with every contributor's part added.</summary>
    public HealthReport AddTo(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        foreach (var contributor in _contributors)
        {
            report = contributor.AddTo(report);
        }

        return report;
    }
}
