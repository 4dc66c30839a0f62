using Npgsql;
using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL store in a schema of its own (through the search path), dropped afterwards. The server comes
/// from <c>VIGIL_TEST_POSTGRES</c>; without it the tests fail (never skip), so a green run has exercised PostgreSQL.
/// </summary>
public sealed class PostgresTestStore : TestStore
{
    public const string EnvironmentVariable = "VIGIL_TEST_POSTGRES";

    private readonly string _schema = "vigil_server_test_" + Guid.NewGuid().ToString("N");
    private string? _adminConnectionString;

    public override async Task CreateAsync()
    {
        var connection = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set, so the collector cannot be tested on PostgreSQL. Start a throwaway server and pass "
                + $"its connection string: {EnvironmentVariable}=\"$(bash scripts/postgres-test-server)\" dotnet test tests/Vigil.Server.Tests "
                + "(bash scripts/postgres-test-server stop removes it).");
        }

        _adminConnectionString = PostgresConnectionString.Normalize(connection);
        await using (var admin = NpgsqlDataSource.Create(_adminConnectionString))
        {
            await using var command = admin.CreateCommand($"CREATE SCHEMA {_schema}");
            await command.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { SearchPath = _schema }.ConnectionString;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is not null)
        {
            await using var admin = NpgsqlDataSource.Create(_adminConnectionString);
            await using var command = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
            await command.ExecuteNonQueryAsync();
        }

        await base.DisposeAsync();
    }

    public override string ToString() => "PostgreSQL";
}
