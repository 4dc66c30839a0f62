namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>One PromQL query and where it comes from.</summary>
/// <param name="Where">Where it is: the seed's block and comment or alert name, or the dashboard file and panel.</param>
/// <param name="Expr">The query, verbatim.</param>
public sealed record NamedQuery(string Where, string Expr);
