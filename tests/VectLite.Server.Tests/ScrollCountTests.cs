using System.Text.Json;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

public sealed class ScrollCountTests
{
    private static readonly string[] Uuids = ["b0000000-0000-4000-8000-000000000000", "0a000000-0000-4000-8000-000000000000"];

    [Fact]
    public async Task Scroll_pages_follow_next_page_offset_in_id_order_numbers_before_uuids()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 2, "Dot");
        (await host.Put("/collections/docs/points", TestData.Points(TestData.Vectors(23, 2, seed: 1)))).AssertOk();
        (await host.Put("/collections/docs/points", $$"""{"points":[{"id":"{{Uuids[0]}}","vector":[1,1]},{"id":"{{Uuids[1]}}","vector":[1,1]}]}""")).AssertOk();

        var seen = new List<string>();
        string offset = "null";
        int pages = 0;
        do
        {
            JsonElement page = (await host.Post("/collections/docs/points/scroll", $$"""{"limit":5,"offset":{{offset}},"with_payload":false}""")).AssertOk().Result;
            seen.AddRange(page.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").ToString()));
            Assert.All(page.GetProperty("points").EnumerateArray(), p => Assert.False(p.TryGetProperty("payload", out _)));
            JsonElement next = page.GetProperty("next_page_offset");
            offset = next.ValueKind == JsonValueKind.Null ? "" : next.GetRawText();
            pages++;
        }
        while (offset.Length > 0);

        string[] expected = [.. Enumerable.Range(1, 23).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Uuids[1], Uuids[0]];
        Assert.Equal(expected, seen);
        Assert.Equal(5, pages);
    }

    [Fact]
    public async Task The_scroll_offset_is_inclusive_and_the_filter_applies()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 2, "Dot");
        (await host.Put("/collections/docs/points", TestData.Points(TestData.Vectors(20, 2, seed: 1)))).AssertOk();
        JsonElement page = (await host.Post("/collections/docs/points/scroll",
            """{"limit":3,"offset":6,"filter":{"must":[{"key":"parity","match":{"value":"even"}}]}}""")).AssertOk().Result;
        // even n are odd ids (id = n + 1); from id 6 on: 7, 9, 11, then 13 starts the next page.
        Assert.Equal([7, 9, 11], page.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        Assert.Equal(13, page.GetProperty("next_page_offset").GetInt32());
        Assert.Equal("even", page.GetProperty("points")[0].GetProperty("payload").GetProperty("parity").GetString());
    }

    [Fact]
    public async Task Count_counts_the_points_the_filter_matches()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 2, "Dot");
        (await host.Put("/collections/docs/points", TestData.Points(TestData.Vectors(30, 2, seed: 1)))).AssertOk();
        Assert.Equal(30, (await host.Post("/collections/docs/points/count", "{}")).AssertOk().Result.GetProperty("count").GetInt64());
        Assert.Equal(30, (await host.Send(HttpMethod.Post, "/collections/docs/points/count")).AssertOk().Result.GetProperty("count").GetInt64());
        // n in [5, 20) and odd: 5, 7, ..., 19 = 8 points.
        Assert.Equal(8, (await host.Post("/collections/docs/points/count",
            """{"filter":{"must":[{"key":"n","range":{"gte":5,"lt":20}},{"key":"parity","match":{"value":"odd"}}]},"exact":true}""")).AssertOk().Result.GetProperty("count").GetInt64());
        Assert.Equal(30, (await host.Get("/collections/docs")).AssertOk().Result.GetProperty("points_count").GetInt64());
    }
}
