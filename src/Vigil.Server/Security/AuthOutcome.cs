namespace Vigil.Server.Security;

/// <summary>The result of checking a request's API key.</summary>
public enum AuthOutcome
{
    /// <summary>Let in.</summary>
    Allowed,
    /// <summary>No key was presented (401).</summary>
    Missing,
    /// <summary>The key is not known (401).</summary>
    Invalid,
    /// <summary>The key is known but lacks the scope (403).</summary>
    WrongScope,
}
