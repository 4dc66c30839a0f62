using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Apis;

public sealed class PostgresReportApiTests : ReportApiTests<PostgresTestStore>;
