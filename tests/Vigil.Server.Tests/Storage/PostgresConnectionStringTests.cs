using Npgsql;
using Vigil.Server.Storage;

namespace Vigil.Server.Tests.Storage;

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void Normalize_FullUri_MapsEveryPart()
    {
        var builder = Parse("postgres://vigil:s3cret@db.example.com:6543/monitoring?sslmode=disable&application_name=vigil-collector");

        Assert.Equal("db.example.com", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("vigil", builder.Username);
        Assert.Equal("s3cret", builder.Password);
        Assert.Equal("monitoring", builder.Database);
        Assert.Equal(SslMode.Disable, builder.SslMode);
        Assert.Equal("vigil-collector", builder.ApplicationName);
    }

    [Fact]
    public void Normalize_PostgresqlSchemeWithoutPortOrPassword_LeavesDefaults()
    {
        var builder = Parse("postgresql://app@localhost/vigil");

        Assert.Equal("localhost", builder.Host);
        Assert.Equal(NpgsqlConnection.DefaultPort, builder.Port);
        Assert.Equal("app", builder.Username);
        Assert.Null(builder.Password);
        Assert.Equal("vigil", builder.Database);
    }

    [Fact]
    public void Normalize_PercentEncodedCredentials_AreDecoded()
    {
        var builder = Parse("postgres://us%40er:p%40ss%3Aw%2Fo%3Brd%3D@h/d%20b");

        Assert.Equal("us@er", builder.Username);
        Assert.Equal("p@ss:w/o;rd=", builder.Password);
        Assert.Equal("d b", builder.Database);
    }

    [Fact]
    public void Normalize_Ipv6HostAndSeveralHosts_AreKept()
    {
        Assert.Equal("::1", Parse("postgres://u@[::1]:5433/d").Host);
        Assert.Equal(5433, Parse("postgres://u@[::1]:5433/d").Port);
        Assert.Equal("a:5432,b:5433", Parse("postgres://u@a:5432,b:5433/d").Host);
    }

    [Theory]
    [InlineData("verify-full", SslMode.VerifyFull)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("require", SslMode.Require)]
    [InlineData("prefer", SslMode.Prefer)]
    public void Normalize_SslMode_MapsLibpqNames(string sslmode, SslMode expected)
    {
        Assert.Equal(expected, Parse($"postgres://u@h/d?sslmode={sslmode}").SslMode);
    }

    [Fact]
    public void Normalize_NpgsqlKeywordAsParameter_IsPassedOn()
    {
        var builder = Parse("postgres://u@h/d?Maximum%20Pool%20Size=7&connect_timeout=3");

        Assert.Equal(7, builder.MaxPoolSize);
        Assert.Equal(3, builder.Timeout);
    }

    [Fact]
    public void Normalize_KeyValueString_IsReturnedUnchanged()
    {
        const string KeyValue = "Host=127.0.0.1;Port=55432;Username=postgres;Database=vigil_test";

        Assert.Equal(KeyValue, PostgresConnectionString.Normalize(KeyValue));
    }

    [Theory]
    [InlineData("postgres://u:topsecret@h/d?nonsense=1")]
    [InlineData("postgres://u:topsecret@h:99999/d")]
    [InlineData("postgres://u:topsecret@h/d?sslmode=sometimes")]
    [InlineData("postgres://u:topsecret@[::1/d")]
    public void Normalize_BadUri_ThrowsFormatExceptionWithoutThePassword(string uri)
    {
        var error = Assert.Throws<FormatException>(() => PostgresConnectionString.Normalize(uri));

        Assert.DoesNotContain("topsecret", error.Message, StringComparison.Ordinal);
    }

    private static NpgsqlConnectionStringBuilder Parse(string uri) => new(PostgresConnectionString.Normalize(uri));
}
