using Vigil.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Ingest;

public sealed class SqliteHostileBodyTests(ITestOutputHelper output) : HostileBodyTests<SqliteTestStore>(output);
