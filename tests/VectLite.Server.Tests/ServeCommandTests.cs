using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

/// <summary><c>vectlite serve</c>'s own checks, before anything listens.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void Binding_beyond_loopback_without_an_api_key_is_a_usage_error()
    {
        string database = Path.Combine(Path.GetTempPath(), "vectlite-server-tests", Guid.NewGuid().ToString("N"));
        (int code, string stderr) = ServeProcess.RunToExit("serve", database, "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(2, code);
        Assert.Contains("--api-key", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(database), "nothing is created when serve refuses to start");
    }

    [Fact]
    public void A_host_that_is_not_an_address_is_a_usage_error()
    {
        (int code, string stderr) = ServeProcess.RunToExit("serve", Path.GetTempPath(), "--host", "example.com");
        Assert.Equal(2, code);
        Assert.Contains("not an IP address", stderr, StringComparison.Ordinal);
    }
}
