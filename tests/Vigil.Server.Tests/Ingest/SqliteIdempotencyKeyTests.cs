using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Ingest;

public sealed class SqliteIdempotencyKeyTests : IdempotencyKeyTests<SqliteTestStore>;
