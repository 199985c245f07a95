using System.Net;
using System.Text.Json;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

public sealed class PointsTests
{
    [Fact]
    public async Task Upserted_points_are_stored_with_their_ids_payloads_and_normalised_cosine_vectors()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 2, "Cosine");
        (await host.Put("/collections/docs/points?wait=true",
            """{"points":[{"id":7,"vector":[3,4],"payload":{"a":1}},{"id":"550E8400-E29B-41D4-A716-446655440000","vector":[0,2]}]}""")).AssertOk()
            .Result.GetProperty("status").GetString().ShouldEqual("completed");

        Collection docs = host.Database.GetCollection("docs");
        Record seven = docs.Get(7)!;
        Assert.Equal([0.6f, 0.8f], seven.Vectors["default"].ToArray());
        Assert.Equal(1, seven.Payload!["a"]!.GetValue<int>());
        Assert.NotNull(docs.Get("550e8400-e29b-41d4-a716-446655440000"));

        JsonElement got = (await host.Post("/collections/docs/points", """{"ids":["550e8400e29b41d4a716446655440000", 7, 8],"with_vector":true}""")).AssertOk().Result;
        Assert.Equal(2, got.GetArrayLength());
        var byId = got.EnumerateArray().ToDictionary(p => p.GetProperty("id").ToString());
        Assert.Equal([0f, 1f], byId["550e8400-e29b-41d4-a716-446655440000"].GetProperty("vector").EnumerateArray().Select(x => x.GetSingle()));
        Assert.Equal(JsonValueKind.Number, byId["7"].GetProperty("id").ValueKind);
        Assert.Equal(1, byId["7"].GetProperty("payload").GetProperty("a").GetInt32());

        JsonElement one = (await host.Get("/collections/docs/points/7")).AssertOk().Result;
        Assert.Equal([0.6f, 0.8f], one.GetProperty("vector").EnumerateArray().Select(x => x.GetSingle()));
        (await host.Get("/collections/docs/points/8")).AssertError(HttpStatusCode.NotFound, "8");
    }

    [Fact]
    public async Task The_batch_form_with_named_vectors_writes_every_column()
    {
        await using ServerHost host = await ServerHost.Start();
        (await host.Put("/collections/multi", """{"vectors":{"a":{"size":2,"distance":"Dot"},"b":{"size":1,"distance":"Euclid"}}}""")).AssertOk();
        (await host.Put("/collections/multi/points",
            """{"batch":{"ids":[1,2],"vectors":{"a":[[1,2],[3,4]],"b":[[5],[6]]},"payloads":[{"x":"one"},null]}}""")).AssertOk();
        Record two = host.Database.GetCollection("multi").Get(2)!;
        Assert.Equal([3f, 4f], two.Vectors["a"].ToArray());
        Assert.Equal([6f], two.Vectors["b"].ToArray());
        Assert.Null(two.Payload);
        JsonElement one = (await host.Get("/collections/multi/points/1")).AssertOk().Result;
        Assert.Equal([1f, 2f], one.GetProperty("vector").GetProperty("a").EnumerateArray().Select(x => x.GetSingle()));
        Assert.Equal("one", one.GetProperty("payload").GetProperty("x").GetString());
    }

    [Theory]
    [InlineData("""{"points":[{"id":1,"vector":[1,2]}]}""", "Vector dimension error: expected dim: 3, got 2")]
    [InlineData("""{"points":[{"id":"42","vector":[1,2,3]}]}""", "Unable to parse UUID: 42")]
    [InlineData("""{"points":[{"id":-1,"vector":[1,2,3]}]}""", "unsigned integer or a UUID")]
    [InlineData("""{"points":[{"id":1,"vector":{"default":{"indices":[1],"values":[0.5]}}}]}""", "sparse vector")]
    [InlineData("""{"points":[{"id":1,"vector":[1,2,3],"payload":[1]}]}""", "payload must be a JSON object")]
    [InlineData("""{"batch":{"ids":[1,2],"vectors":[[1,2,3]]}}""", "one entry per id (2)")]
    public async Task A_bad_upsert_is_400_naming_the_problem_and_writes_nothing(string body, string fragment)
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 3, "Dot");
        (await host.Put("/collections/docs/points", """{"points":[{"id":100,"vector":[1,1,1]}]}""")).AssertOk();
        (await host.Put("/collections/docs/points", body)).AssertError(HttpStatusCode.BadRequest, fragment);
        Assert.Equal(1, host.Database.GetCollection("docs").Count());
    }

    [Fact]
    public async Task Points_are_deleted_by_id_and_by_filter()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 2, "Dot");
        (await host.Put("/collections/docs/points", TestData.Points(TestData.Vectors(10, 2, seed: 1)))).AssertOk();
        (await host.Post("/collections/docs/points/delete", """{"points":[1,2]}""")).AssertOk();
        (await host.Post("/collections/docs/points/delete", """{"filter":{"must":[{"key":"parity","match":{"value":"odd"}}]}}""")).AssertOk();
        // ids 1..10 carry n = id - 1; odd n are ids 2,4,6,8,10; with 1 and 2 gone: 3, 5, 7, 9 remain.
        Collection docs = host.Database.GetCollection("docs");
        Assert.Equal([3UL, 5UL, 7UL, 9UL], docs.Scroll().Records.Select(r => r.Id.AsNumber));
    }
}

internal static class StringAssertExtensions
{
    public static void ShouldEqual(this string? actual, string expected) => Assert.Equal(expected, actual);
}
