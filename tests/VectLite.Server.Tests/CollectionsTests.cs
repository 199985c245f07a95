using System.Net;
using System.Text.Json;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

public sealed class CollectionsTests
{
    [Fact]
    public async Task The_root_answers_the_clients_version_handshake_without_an_envelope()
    {
        await using ServerHost host = await ServerHost.Start();
        Response r = await host.Get("/");
        Assert.Equal(HttpStatusCode.OK, r.Status);
        Assert.Equal("qdrant - vector search engine", r.Json.GetProperty("title").GetString());
        Assert.Equal("1.19.0", r.Json.GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_collection_is_created_listed_described_and_dropped()
    {
        await using ServerHost host = await ServerHost.Start();
        (await host.Get("/collections/docs/exists")).AssertOk().Result.GetProperty("exists").GetBoolean().ShouldBe(false);

        Response created = (await host.Put("/collections/docs", """{"vectors":{"size":3,"distance":"Euclid"},"hnsw_config":{"m":8,"ef_construct":64},"shard_number":2}""")).AssertOk();
        Assert.True(created.Result.GetBoolean());
        CollectionSchema schema = host.Database.GetCollection("docs").Schema;
        Assert.Equal(new VectorSpec("default", 3, Metric.L2), schema.Vectors.Single());
        Assert.Equal(8, schema.Hnsw.M);
        Assert.Equal(64, schema.Hnsw.EfConstruction);

        (await host.Get("/collections/docs/exists")).AssertOk().Result.GetProperty("exists").GetBoolean().ShouldBe(true);
        JsonElement list = (await host.Get("/collections")).AssertOk().Result.GetProperty("collections");
        Assert.Equal(["docs"], list.EnumerateArray().Select(c => c.GetProperty("name").GetString()));

        JsonElement info = (await host.Get("/collections/docs")).AssertOk().Result;
        Assert.Equal("green", info.GetProperty("status").GetString());
        Assert.Equal(0, info.GetProperty("points_count").GetInt64());
        JsonElement vectors = info.GetProperty("config").GetProperty("params").GetProperty("vectors");
        Assert.Equal(3, vectors.GetProperty("size").GetInt32());
        Assert.Equal("Euclid", vectors.GetProperty("distance").GetString());
        Assert.Equal(8, info.GetProperty("config").GetProperty("hnsw_config").GetProperty("m").GetInt32());

        Assert.True((await host.Delete("/collections/docs")).AssertOk().Result.GetBoolean());
        Assert.False(host.Database.CollectionExists("docs"));
        Assert.False((await host.Delete("/collections/docs")).AssertOk().Result.GetBoolean());
    }

    [Fact]
    public async Task Named_vectors_map_to_the_schema_and_are_echoed_by_name()
    {
        await using ServerHost host = await ServerHost.Start();
        (await host.Put("/collections/multi", """{"vectors":{"image":{"size":4,"distance":"Dot"},"text":{"size":2,"distance":"Manhattan"}}}""")).AssertOk();
        Assert.Equal([new VectorSpec("image", 4, Metric.Dot), new VectorSpec("text", 2, Metric.L1)], host.Database.GetCollection("multi").Schema.Vectors);
        JsonElement vectors = (await host.Get("/collections/multi")).AssertOk().Result.GetProperty("config").GetProperty("params").GetProperty("vectors");
        Assert.Equal("Dot", vectors.GetProperty("image").GetProperty("distance").GetString());
        Assert.Equal("Manhattan", vectors.GetProperty("text").GetProperty("distance").GetString());
    }

    [Fact]
    public async Task Creating_an_existing_collection_is_409_and_an_unknown_distance_400()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 3, "Cosine");
        (await host.Put("/collections/docs", """{"vectors":{"size":3,"distance":"Cosine"}}""")).AssertError(HttpStatusCode.Conflict, "docs");
        (await host.Put("/collections/other", """{"vectors":{"size":3,"distance":"Hamming"}}""")).AssertError(HttpStatusCode.BadRequest, "unknown distance `Hamming`");
        (await host.Put("/collections/other", """{"vectors":{"size":3,"distance":"Cosine"},"sparse_vectors":{"s":{}}}""")).AssertError(HttpStatusCode.BadRequest, "sparse vectors");
        (await host.Put("/collections/other", """{"vectors": {"size": 3,""")).AssertError(HttpStatusCode.BadRequest, "Format error in JSON body");
        Assert.False(host.Database.CollectionExists("other"));
    }

    [Theory]
    [InlineData("GET", "/collections/nope", null)]
    [InlineData("PUT", "/collections/nope/points", """{"points":[]}""")]
    [InlineData("POST", "/collections/nope/points/query", """{"query":[1,2,3]}""")]
    [InlineData("POST", "/collections/nope/points/scroll", "{}")]
    [InlineData("POST", "/collections/nope/points/count", "{}")]
    [InlineData("POST", "/collections/nope/points/payload", """{"payload":{},"points":[1]}""")]
    [InlineData("PUT", "/collections/nope/index", """{"field_name":"a","field_schema":"keyword"}""")]
    public async Task An_unknown_collection_is_404_in_Qdrants_words(string method, string path, string? body)
    {
        await using ServerHost host = await ServerHost.Start();
        Response r = await host.Send(new HttpMethod(method), path, body);
        r.AssertError(HttpStatusCode.NotFound, "Collection `nope` doesn't exist!");
    }
}

internal static class AssertExtensions
{
    public static void ShouldBe(this bool actual, bool expected) => Assert.Equal(expected, actual);
}
