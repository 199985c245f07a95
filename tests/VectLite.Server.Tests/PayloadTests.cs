using System.Net;
using System.Text.Json.Nodes;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

/// <summary>Qdrant's payload semantics: set replaces top-level keys (no deep merge) and keeps nulls; overwrite, delete keys, clear.</summary>
public sealed class PayloadTests
{
    private static async Task<ServerHost> WithPoints()
    {
        ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 2, "Dot");
        (await host.Put("/collections/docs/points",
            """{"points":[{"id":1,"vector":[1,0],"payload":{"a":1,"meta":{"x":1,"y":2},"keep":"k"}},{"id":2,"vector":[0,1],"payload":{"a":2}},{"id":3,"vector":[1,1],"payload":{"a":3}}]}""")).AssertOk();
        return host;
    }

    private static string PayloadOf(ServerHost host, ulong id) => host.Database.GetCollection("docs").Get(id)!.Payload?.ToJsonString() ?? "null";

    [Fact]
    public async Task Set_payload_replaces_top_level_keys_without_merging_nested_objects()
    {
        await using ServerHost host = await WithPoints();
        (await host.Post("/collections/docs/points/payload", """{"payload":{"meta":{"z":3},"b":true},"points":[1]}""")).AssertOk();
        Assert.Equal("""{"a":1,"meta":{"z":3},"keep":"k","b":true}""", PayloadOf(host, 1));
        Assert.Equal([1f, 0f], host.Database.GetCollection("docs").Get(1)!.Vectors["default"].ToArray());
    }

    [Fact]
    public async Task Set_payload_stores_a_null_value_instead_of_removing_the_key()
    {
        await using ServerHost host = await WithPoints();
        (await host.Post("/collections/docs/points/payload", """{"payload":{"a":null},"points":[1]}""")).AssertOk();
        Assert.Equal("""{"a":null,"meta":{"x":1,"y":2},"keep":"k"}""", PayloadOf(host, 1));
        Assert.Equal([1f, 0f], host.Database.GetCollection("docs").Get(1)!.Vectors["default"].ToArray());
    }

    [Fact]
    public async Task Set_payload_under_a_key_and_by_filter()
    {
        await using ServerHost host = await WithPoints();
        (await host.Post("/collections/docs/points/payload", """{"payload":{"z":9},"key":"meta","points":[1]}""")).AssertOk();
        Assert.Equal("""{"a":1,"meta":{"x":1,"y":2,"z":9},"keep":"k"}""", PayloadOf(host, 1));
        (await host.Post("/collections/docs/points/payload", """{"payload":{"big":true},"filter":{"must":[{"key":"a","range":{"gte":2}}]}}""")).AssertOk();
        Assert.Equal("""{"a":2,"big":true}""", PayloadOf(host, 2));
        Assert.Equal("""{"a":3,"big":true}""", PayloadOf(host, 3));
        Assert.DoesNotContain("big", PayloadOf(host, 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overwrite_delete_keys_and_clear()
    {
        await using ServerHost host = await WithPoints();
        (await host.Put("/collections/docs/points/payload", """{"payload":{"only":"this"},"points":[1]}""")).AssertOk();
        Assert.Equal("""{"only":"this"}""", PayloadOf(host, 1));
        (await host.Post("/collections/docs/points/payload", """{"payload":{"meta":{"x":1,"y":2}},"points":[2]}""")).AssertOk();
        (await host.Post("/collections/docs/points/payload/delete", """{"keys":["a","meta.x"],"points":[2]}""")).AssertOk();
        Assert.Equal("""{"meta":{"y":2}}""", PayloadOf(host, 2));
        (await host.Post("/collections/docs/points/payload/clear", """{"points":[3]}""")).AssertOk();
        Assert.True(JsonNode.DeepEquals(new JsonObject(), host.Database.GetCollection("docs").Get(3)!.Payload ?? new JsonObject()));
    }

    [Fact]
    public async Task A_payload_update_naming_a_missing_point_is_404_and_changes_nothing()
    {
        await using ServerHost host = await WithPoints();
        (await host.Post("/collections/docs/points/payload", """{"payload":{"b":1},"points":[1,99]}""")).AssertError(HttpStatusCode.NotFound, "99");
        Assert.DoesNotContain("\"b\"", PayloadOf(host, 1), StringComparison.Ordinal);
    }
}
