using System.Security.Cryptography;
using System.Text;
using Vigil.Server.Hosting;

namespace Vigil.Server.Security;

/// <summary>
/// Checks the <c>Authorization: Bearer KEY</c> (or <c>X-Api-Key</c>) header against the configured keys of a
/// scope; <c>Authorization: Basic base64(user:KEY)</c> presents the key as the password (any user), so that a
/// browser can open the dashboard page and its same-origin requests carry the key. Keys are compared as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>, so
/// the time taken says nothing about a key's content or length. Keys are never logged.
/// </summary>
public sealed class ApiKeyAuthenticator
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[][] _ingest;
    private readonly byte[][] _read;
    private readonly byte[][] _admin;

    /// <summary>Takes the keys of <paramref name="options"/>.</summary>
    public ApiKeyAuthenticator(VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ingest = [.. options.IngestKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Digest)];
        _read = [.. options.ReadKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Digest)];
        _admin = [.. options.AdminKeys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(Digest)];
    }

    /// <summary>True when no key is configured: every request is let in.</summary>
    public bool IsOpen => _ingest.Length == 0 && _read.Length == 0 && _admin.Length == 0;

    /// <summary>The outcome for a request needing <paramref name="scope"/>.</summary>
    public AuthOutcome Check(HttpRequest request, ApiKeyScope scope)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (IsOpen)
        {
            return AuthOutcome.Allowed;
        }

        var presented = PresentedKey(request);
        if (presented is null)
        {
            return AuthOutcome.Missing;
        }

        var digest = Digest(presented);
        var inIngest = Matches(_ingest, digest);
        var inRead = Matches(_read, digest);
        var inAdmin = Matches(_admin, digest);
        var inScope = scope switch
        {
            ApiKeyScope.Ingest => inIngest,
            ApiKeyScope.Read => inRead,
            _ => inAdmin,
        };
        return inScope ? AuthOutcome.Allowed : inIngest || inRead || inAdmin ? AuthOutcome.WrongScope : AuthOutcome.Invalid;
    }

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return BasicPassword(authorization["Basic ".Length..].Trim());
        }

        var header = request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    // The password of user:password; what cannot be decoded presents an empty key, which no scope holds (401, not "missing").
    private static string BasicPassword(string credentials)
    {
        var bytes = new byte[((credentials.Length + 3) / 4) * 3];
        if (!Convert.TryFromBase64String(credentials, bytes, out var written))
        {
            return string.Empty;
        }

        string decoded;
        try
        {
            decoded = StrictUtf8.GetString(bytes, 0, written);
        }
        catch (DecoderFallbackException)
        {
            return string.Empty;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? string.Empty : decoded[(colon + 1)..];
    }

    private static bool Matches(byte[][] keys, byte[] digest)
    {
        var found = false;
        foreach (var key in keys)
        {
            found |= CryptographicOperations.FixedTimeEquals(key, digest); // no early exit
        }

        return found;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
