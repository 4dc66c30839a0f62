namespace Vigil.Alerting.Engine;

/// <summary>
/// A rule's condition in C#, the twin of its PromQL: the series for which it holds at the view's time, each with the
/// expression's value (empty: it does not hold).
/// </summary>
public delegate AlertVector AlertCondition(SignalView signals);
