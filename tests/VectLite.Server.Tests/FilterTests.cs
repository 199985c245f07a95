using System.Text.Json;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

/// <summary>Qdrant filters against the matching ids worked out by hand from the payloads written here.</summary>
public sealed class FilterTests
{
    private const string Payloads = """
        {"points":[
          {"id":1,"vector":[1],"payload":{"color":"red","tags":["a","b"],"size":1,"meta":{"lang":"en"}}},
          {"id":2,"vector":[1],"payload":{"color":"blue","tags":[],"size":5,"meta":{"lang":"fr"}}},
          {"id":3,"vector":[1],"payload":{"color":"green","tags":["b"],"size":10,"note":null}},
          {"id":4,"vector":[1],"payload":{"color":"red","size":7.5,"items":[{"sku":"x"},{"sku":"y"}]}},
          {"id":5,"vector":[1]}
        ]}
        """;

    [Theory]
    [InlineData("""{"must":[{"key":"color","match":{"value":"red"}}]}""", new[] { 1, 4 })]
    [InlineData("""{"should":[{"key":"color","match":{"value":"blue"}},{"key":"size","range":{"gt":9}}]}""", new[] { 2, 3 })]
    [InlineData("""{"must_not":[{"key":"color","match":{"value":"red"}}]}""", new[] { 2, 3, 5 })]
    [InlineData("""{"must":[{"key":"color","match":{"any":["blue","green"]}}]}""", new[] { 2, 3 })]
    [InlineData("""{"must":[{"key":"color","match":{"except":["red"]}}]}""", new[] { 2, 3 })]
    [InlineData("""{"must":[{"key":"tags","match":{"value":"b"}}]}""", new[] { 1, 3 })]
    [InlineData("""{"must":[{"key":"size","range":{"gte":5,"lte":7.5}}]}""", new[] { 2, 4 })]
    [InlineData("""{"must":[{"key":"meta.lang","match":{"value":"fr"}}]}""", new[] { 2 })]
    [InlineData("""{"must":[{"key":"items[].sku","match":{"value":"y"}}]}""", new[] { 4 })]
    [InlineData("""{"must":[{"key":"color","match":{"text":"ee"}}]}""", new[] { 3 })]
    [InlineData("""{"must":[{"is_empty":{"key":"tags"}}]}""", new[] { 2, 4, 5 })]
    [InlineData("""{"must":[{"is_null":{"key":"note"}}]}""", new[] { 3 })]
    [InlineData("""{"must":[{"must":[{"key":"color","match":{"value":"red"}}]},{"should":[{"key":"size","range":{"lt":2}}]}]}""", new[] { 1 })]
    [InlineData("""{"must":[],"should":[]}""", new[] { 1, 2, 3, 4, 5 })]
    [InlineData("""{"must":{"key":"color","match":{"value":"green"}}}""", new[] { 3 })]
    public async Task A_Qdrant_filter_selects_the_points_it_names(string filter, int[] expected)
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 1, "Dot");
        (await host.Put("/collections/docs/points", Payloads)).AssertOk();
        JsonElement page = (await host.Post("/collections/docs/points/scroll", $$"""{"filter":{{filter}},"limit":100}""")).AssertOk().Result;
        Assert.Equal(expected, page.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
    }

    [Theory]
    [InlineData("""{"min_should":{"conditions":[],"min_count":1}}""", "`min_should`")]
    [InlineData("""{"must":[{"nested":{"key":"items","filter":{}}}]}""", "`nested`")]
    [InlineData("""{"must":[{"key":"size","values_count":{"gt":1}}]}""", "`values_count`")]
    [InlineData("""{"must":[{"key":"when","range":{"gt":"2024-01-01T00:00:00Z"}}]}""", "datetime range")]
    [InlineData("""{"must":[{"key":"color"}]}""", "has no match or range")]
    [InlineData("""{"maybe":[]}""", "unknown filter clause `maybe`")]
    public async Task Filters_the_server_cannot_translate_are_400_naming_the_part(string filter, string fragment)
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 1, "Dot");
        (await host.Post("/collections/docs/points/count", $$"""{"filter":{{filter}}}""")).AssertError(System.Net.HttpStatusCode.BadRequest, fragment);
    }

    [Fact]
    public async Task A_payload_index_is_created_listed_used_and_dropped()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 1, "Dot");
        (await host.Put("/collections/docs/points", Payloads)).AssertOk();
        (await host.Put("/collections/docs/index", """{"field_name":"color","field_schema":"keyword"}""")).AssertOk();
        (await host.Put("/collections/docs/index", """{"field_name":"size","field_schema":{"type":"integer"}}""")).AssertOk();
        Assert.Equal([("color", PayloadIndexKind.Keyword), ("size", PayloadIndexKind.Numeric)],
            host.Database.GetCollection("docs").GetStats().PayloadIndexes.OrderBy(i => i.Field, StringComparer.Ordinal));
        JsonElement schema = (await host.Get("/collections/docs")).AssertOk().Result.GetProperty("payload_schema");
        Assert.Equal("keyword", schema.GetProperty("color").GetProperty("data_type").GetString());
        Assert.Equal(2, (await host.Post("/collections/docs/points/count", """{"filter":{"must":[{"key":"color","match":{"value":"red"}}]}}""")).AssertOk().Result.GetProperty("count").GetInt64());
        (await host.Delete("/collections/docs/index/color")).AssertOk();
        Assert.Equal([("size", PayloadIndexKind.Numeric)], host.Database.GetCollection("docs").GetStats().PayloadIndexes);
        (await host.Put("/collections/docs/index", """{"field_name":"body","field_schema":"text"}""")).AssertError(System.Net.HttpStatusCode.BadRequest, "`text` payload index");
    }
}
