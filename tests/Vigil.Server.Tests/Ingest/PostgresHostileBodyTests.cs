using Vigil.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Ingest;

public sealed class PostgresHostileBodyTests(ITestOutputHelper output) : HostileBodyTests<PostgresTestStore>(output);
