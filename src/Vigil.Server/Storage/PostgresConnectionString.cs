using System.Globalization;
using Npgsql;

namespace Vigil.Server.Storage;

/// <summary>
/// Accepts the two ways people write a PostgreSQL connection: a libpq URI
/// (<c>postgres://user:pass@host:5432/db?sslmode=disable</c>, also <c>postgresql://</c>) or an Npgsql
/// <c>Key=Value;…</c> string, and gives an Npgsql connection string.
/// </summary>
public static class PostgresConnectionString
{
    /// <summary>
    /// Converts a <c>postgres://</c> or <c>postgresql://</c> URI to an Npgsql connection string and returns
    /// any other string unchanged. User, password and database are percent-decoded; several
    /// <c>host:port</c> pairs may be given separated by commas, IPv6 addresses in brackets. Query parameters
    /// <c>sslmode</c>, <c>application_name</c>, <c>connect_timeout</c>, <c>options</c>,
    /// <c>target_session_attrs</c>, <c>sslcert</c>, <c>sslkey</c>, <c>sslrootcert</c>, <c>sslpassword</c>,
    /// <c>host</c>, <c>port</c>, <c>user</c>, <c>password</c> and <c>dbname</c> are mapped to their Npgsql
    /// keywords; any other must be an Npgsql keyword itself (e.g. <c>Pooling=false</c>).
    /// </summary>
    /// <exception cref="FormatException">The URI is malformed or names an unknown parameter. The message never contains the password.</exception>
    public static string Normalize(string connection)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        var text = connection.Trim();
        var schemeLength = text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) ? "postgresql://".Length
            : text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) ? "postgres://".Length
            : 0;
        if (schemeLength == 0)
        {
            return connection;
        }

        var rest = text[schemeLength..];
        var fragment = rest.IndexOf('#', StringComparison.Ordinal);
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var query = string.Empty;
        var queryStart = rest.IndexOf('?', StringComparison.Ordinal);
        if (queryStart >= 0)
        {
            query = rest[(queryStart + 1)..];
            rest = rest[..queryStart];
        }

        var path = string.Empty;
        var pathStart = rest.IndexOf('/', StringComparison.Ordinal);
        if (pathStart >= 0)
        {
            path = rest[(pathStart + 1)..];
            rest = rest[..pathStart];
        }

        var builder = new NpgsqlConnectionStringBuilder();
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var user = Decode(colon >= 0 ? userInfo[..colon] : userInfo);
            if (user.Length > 0)
            {
                builder.Username = user;
            }

            if (colon >= 0)
            {
                builder.Password = Decode(userInfo[(colon + 1)..]);
            }
        }

        if (rest.Length > 0)
        {
            SetHosts(builder, rest);
        }

        if (path.Length > 0)
        {
            builder.Database = Decode(path);
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals >= 0 ? pair[..equals] : pair);
            var value = equals >= 0 ? Decode(pair[(equals + 1)..]) : string.Empty;
            SetParameter(builder, key, value);
        }

        return builder.ConnectionString;
    }

    private static void SetHosts(NpgsqlConnectionStringBuilder builder, string hostList)
    {
        var hosts = new List<(string Host, int? Port)>();
        foreach (var part in hostList.Split(','))
        {
            string host;
            string? port = null;
            if (part.StartsWith('['))
            {
                var close = part.IndexOf(']', StringComparison.Ordinal);
                if (close < 0)
                {
                    throw new FormatException("The PostgreSQL URI has an IPv6 host without its closing ']'.");
                }

                host = part[1..close];
                var after = part[(close + 1)..];
                if (after.Length > 0)
                {
                    port = after.StartsWith(':') ? after[1..] : throw new FormatException("The PostgreSQL URI has text after an IPv6 host.");
                }
            }
            else
            {
                var colon = part.LastIndexOf(':');
                host = colon >= 0 ? part[..colon] : part;
                port = colon >= 0 ? part[(colon + 1)..] : null;
            }

            hosts.Add((Decode(host), string.IsNullOrEmpty(port) ? null : ParsePort(port)));
        }

        if (hosts.Count == 1)
        {
            if (hosts[0].Host.Length > 0)
            {
                builder.Host = hosts[0].Host;
            }

            if (hosts[0].Port is { } single)
            {
                builder.Port = single;
            }

            return;
        }

        // Npgsql's multi-host form: Host=a:5432,b:5433 (a host without a port uses Port).
        builder.Host = string.Join(',', hosts.Select(h => h.Port is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{h.Host}:{p}")
            : h.Host));
    }

    private static void SetParameter(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                builder.SslMode = value.ToLowerInvariant() switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new FormatException($"The PostgreSQL URI's sslmode '{value}' is not one of disable, allow, prefer, require, verify-ca, verify-full."),
                };
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            case "connect_timeout":
                builder.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                    ? seconds
                    : throw new FormatException($"The PostgreSQL URI's connect_timeout '{value}' is not a whole number of seconds.");
                break;
            case "options":
                builder.Options = value;
                break;
            case "target_session_attrs":
                builder["Target Session Attributes"] = value;
                break;
            case "sslcert":
                builder.SslCertificate = value;
                break;
            case "sslkey":
                builder.SslKey = value;
                break;
            case "sslrootcert":
                builder.RootCertificate = value;
                break;
            case "sslpassword":
                builder.SslPassword = value;
                break;
            case "host":
                builder.Host = value;
                break;
            case "port":
                builder.Port = ParsePort(value);
                break;
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "dbname":
                builder.Database = value;
                break;
            default:
                try
                {
                    builder[key] = value;
                }
                catch (ArgumentException)
                {
                    // The value is left out of the message: it may be a secret.
                    throw new FormatException($"The PostgreSQL URI's parameter '{key}' is neither a libpq parameter Vigil maps nor an Npgsql connection-string keyword, or its value is invalid.");
                }

                break;
        }
    }

    private static int ParsePort(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw new FormatException($"The PostgreSQL URI's port '{text}' is not a number from 1 to 65535.");

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            throw new FormatException("The PostgreSQL URI has an invalid percent-encoding.");
        }
    }
}
