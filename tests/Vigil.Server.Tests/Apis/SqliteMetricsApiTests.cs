using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Apis;

public sealed class SqliteMetricsApiTests : MetricsApiTests<SqliteTestStore>;
