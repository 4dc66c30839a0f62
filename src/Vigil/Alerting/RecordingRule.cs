using Vigil.Alerting.Engine;

namespace Vigil.Alerting;

/// <summary>A Prometheus recording rule of the catalog, with its value in C# for Vigil's engine.</summary>
/// <param name="Name">The recorded series, e.g. <c>llm:availability_error_ratio:rate5m</c>.</param>
/// <param name="Group">The rule group.</param>
/// <param name="Expression">The PromQL expression; no series without traffic.</param>
/// <param name="Value">The same in C#: null where PromQL gives no series.</param>
public sealed record RecordingRule(string Name, string Group, string Expression, Func<SignalView, double?> Value);
