using Vigil.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Hosting;

public sealed class SqliteDurabilityTests(ITestOutputHelper output) : DurabilityTests<SqliteTestStore>(output);
