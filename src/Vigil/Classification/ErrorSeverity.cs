namespace Vigil.Classification;

/// <summary>How bad an error is (seed §2: low, medium, high, critical).</summary>
public enum ErrorSeverity
{
    /// <summary>Low.</summary>
    Low,
    /// <summary>Medium.</summary>
    Medium,
    /// <summary>High.</summary>
    High,
    /// <summary>Critical: a person must act (e.g. credentials).</summary>
    Critical,
}
