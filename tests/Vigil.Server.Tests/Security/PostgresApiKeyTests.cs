using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Security;

public sealed class PostgresApiKeyTests : ApiKeyTests<PostgresTestStore>;
