namespace Vigil.Server.Hosting;

/// <summary>What the collector does with query, response and context text.</summary>
public enum ContentMode
{
    /// <summary>Keep it as sent.</summary>
    Store,
    /// <summary>Keep it with e-mail addresses, phone and card numbers and secrets masked.</summary>
    Redact,
    /// <summary>Do not keep it.</summary>
    Drop,
}
