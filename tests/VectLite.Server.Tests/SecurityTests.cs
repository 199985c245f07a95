using System.Net;
using System.Net.Http.Headers;
using System.Text;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

public sealed class SecurityTests
{
    [Fact]
    public async Task With_an_api_key_requests_need_it_in_the_api_key_header_or_as_a_bearer_token()
    {
        await using ServerHost host = await ServerHost.Start(new QdrantServerOptions { ApiKey = "s3cret" });
        (await host.Get("/collections")).AssertError(HttpStatusCode.Unauthorized, "API key");
        (await host.Send(HttpMethod.Get, "/collections", headers: h => h.Add("api-key", "wrong"))).AssertError(HttpStatusCode.Unauthorized, "API key");
        (await host.Send(HttpMethod.Get, "/collections", headers: h => h.Add("api-key", "s3cre"))).AssertError(HttpStatusCode.Unauthorized, "API key");
        (await host.Send(HttpMethod.Put, "/collections/x", """{"vectors":{"size":1,"distance":"Dot"}}""", h => h.Add("api-key", "wrong"))).AssertError(HttpStatusCode.Unauthorized, "API key");
        Assert.False(host.Database.CollectionExists("x"));

        (await host.Send(HttpMethod.Get, "/collections", headers: h => h.Add("api-key", "s3cret"))).AssertOk();
        (await host.Send(HttpMethod.Get, "/collections", headers: h => h.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret"))).AssertOk();
        // The version handshake and health probes stay open, as in Qdrant.
        Assert.Equal(HttpStatusCode.OK, (await host.Get("/")).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Get("/healthz")).Status);
    }

    [Fact]
    public async Task Without_an_api_key_the_server_refuses_to_bind_beyond_loopback()
    {
        using Database db = Database.OpenInMemory();
        ArgumentException ex = Assert.Throws<ArgumentException>(() => QdrantServer.Create(db, new QdrantServerOptions { Host = IPAddress.Any, Port = 0 }));
        Assert.Contains("not a loopback address", ex.Message, StringComparison.Ordinal);
        await using QdrantServer withKey = QdrantServer.Create(db, new QdrantServerOptions { Host = IPAddress.Any, Port = 0, ApiKey = "k" });
        await using QdrantServer loopback = QdrantServer.Create(db, new QdrantServerOptions { Host = IPAddress.IPv6Loopback, Port = 0 });
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_a_batch_over_the_limit_400()
    {
        await using ServerHost host = await ServerHost.Start(new QdrantServerOptions { MaxRequestBodyBytes = 2048, MaxBatchPoints = 3 });
        await host.CreateCollection("docs", 1, "Dot");
        string big = """{"points":[""" + string.Join(",", Enumerable.Range(1, 3).Select(i => $$$"""{"id":{{{i}}},"vector":[1],"payload":{"pad":"{{{new string('x', 1000)}}}"}}""")) + "]}";
        Assert.True(Encoding.UTF8.GetByteCount(big) > 2048);
        (await host.Put("/collections/docs/points", big)).AssertError(HttpStatusCode.RequestEntityTooLarge, "too large");
        (await host.Put("/collections/docs/points", """{"points":[{"id":1,"vector":[1]},{"id":2,"vector":[1]},{"id":3,"vector":[1]},{"id":4,"vector":[1]}]}"""))
            .AssertError(HttpStatusCode.BadRequest, "4 points in one request; the server's limit is 3");
        (await host.Put("/collections/docs/points", """{"points":[{"id":1,"vector":[1]},{"id":2,"vector":[1]},{"id":3,"vector":[1]}]}""")).AssertOk();
        Assert.Equal(3, host.Database.GetCollection("docs").Count());
    }
}
