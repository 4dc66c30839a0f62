using System.Text.Json.Serialization;

namespace Vigil.Server.Storage.Alerts;

/// <summary>Source-generated JSON for an alert's label set in the <c>alert_states</c> table.</summary>
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AlertStateJsonContext : JsonSerializerContext;
