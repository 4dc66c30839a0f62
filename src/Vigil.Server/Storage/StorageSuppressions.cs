using System.Diagnostics.CodeAnalysis;

// IVigilStore's range methods take (from, to), the names of the HTTP API's query parameters; "To" is a
// Visual Basic keyword, which CA1716 flags on interface members. No VB implementation is expected.
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "from/to mirror the API's query parameters.", Scope = "member", Target = "~M:Vigil.Server.Storage.IVigilStore.ReadInteractionsAsync(System.DateTimeOffset,System.DateTimeOffset,System.Threading.CancellationToken)")]
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "from/to mirror the API's query parameters.", Scope = "member", Target = "~M:Vigil.Server.Storage.IVigilStore.ReadFeedbackAsync(System.DateTimeOffset,System.DateTimeOffset,System.Threading.CancellationToken)")]
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "from/to mirror the API's query parameters.", Scope = "member", Target = "~M:Vigil.Server.Storage.IVigilStore.ReadEvaluationsAsync(System.DateTimeOffset,System.DateTimeOffset,System.Threading.CancellationToken)")]
[assembly: SuppressMessage("Naming", "CA1716:Identifiers should not match keywords", Justification = "from/to mirror the API's query parameters.", Scope = "member", Target = "~M:Vigil.Server.Storage.IVigilStore.SumCostAsync(System.DateTimeOffset,System.DateTimeOffset,System.Threading.CancellationToken)")]
