using Npgsql;
using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

/// <summary>
/// The store contract against <see cref="PostgresVigilStore"/>. Needs a server: the connection string comes from
/// <c>VIGIL_TEST_POSTGRES</c> (<c>VIGIL_TEST_POSTGRES="$(scripts/postgres-test-server)" dotnet test tests/Vigil.Server.Tests</c>).
/// Without it every test here fails, on purpose: a green run must have exercised PostgreSQL. Each test works in a
/// schema of its own (through the search path), dropped afterwards.
/// </summary>
public sealed class PostgresVigilStoreContractTests : VigilStoreContractTests
{
    public const string EnvironmentVariable = "VIGIL_TEST_POSTGRES";

    private readonly string _schema = "vigil_test_" + Guid.NewGuid().ToString("N");
    private string? _adminConnectionString;
    private string? _storeConnectionString;

    protected override async Task CreateDatabaseAsync()
    {
        var connection = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set, so the PostgreSQL store cannot be tested. Start a throwaway server and pass its "
                + $"connection string: {EnvironmentVariable}=\"$(scripts/postgres-test-server)\" dotnet test tests/Vigil.Server.Tests "
                + "(scripts/postgres-test-server stop removes it).");
        }

        _adminConnectionString = PostgresConnectionString.Normalize(connection);
        await using (var admin = NpgsqlDataSource.Create(_adminConnectionString))
        {
            await using var command = admin.CreateCommand($"CREATE SCHEMA {_schema}");
            await command.ExecuteNonQueryAsync();
        }

        _storeConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { SearchPath = _schema }.ConnectionString;
    }

    [Fact]
    public async Task InitializeAsync_DatabaseWithoutIdempotencyKeys_GainsTheTableAndKeepsItsRecords()
    {
        // Databases made before idempotency keys existed.
        await Store.UpsertInteractionsAsync([Interaction("a", T0)]);
        await using (var store = NpgsqlDataSource.Create(_storeConnectionString!))
        {
            await using var command = store.CreateCommand("DROP TABLE idempotency_keys");
            await command.ExecuteNonQueryAsync();
        }

        await ReopenAsync();
        await Store.UpsertInteractionsAsync([Interaction("b", T0)], [new IdempotencyKey("k", 1)]);

        Assert.Equal(1, (await Store.FindIdempotencyKeysAsync(IdempotencyScope.Interactions, ["k"]))["k"]);
        Assert.NotNull(await Store.GetInteractionAsync("a"));
    }

    protected override IVigilStore OpenStore(TimeProvider timeProvider) =>
        new PostgresVigilStore(_storeConnectionString ?? throw new InvalidOperationException("No database."), timeProvider);

    protected override async Task DeleteDatabaseAsync()
    {
        if (_adminConnectionString is null)
        {
            return;
        }

        await using var admin = NpgsqlDataSource.Create(_adminConnectionString);
        await using var command = admin.CreateCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
