using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Hosting;

public sealed class PostgresRestartTests : RestartTests<PostgresTestStore>;
