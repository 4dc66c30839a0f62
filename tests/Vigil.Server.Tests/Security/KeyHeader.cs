namespace Vigil.Server.Tests.Security;

/// <summary>How a test request presents its API key.</summary>
public enum KeyHeader
{
    /// <summary>No key.</summary>
    None,
    /// <summary><c>Authorization: Bearer &lt;key&gt;</c>.</summary>
    Bearer,
    /// <summary><c>X-Api-Key: &lt;key&gt;</c>.</summary>
    XApiKey,
}
