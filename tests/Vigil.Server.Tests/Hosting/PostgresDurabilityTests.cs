using Vigil.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Vigil.Server.Tests.Hosting;

public sealed class PostgresDurabilityTests(ITestOutputHelper output) : DurabilityTests<PostgresTestStore>(output);
