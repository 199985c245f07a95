using System.Globalization;
using System.Net;
using System.Text.Json;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

/// <summary>
/// Query and search against brute force computed here. 100 points stay under the engine's HNSW threshold, so the
/// engine scans exactly and the expected order is deterministic.
/// </summary>
public sealed class QueryTests
{
    private const int Count = 100, Dimension = 8;

    public static TheoryData<string, bool> Distances => new()
    {
        { "Cosine", false }, { "Dot", false }, { "Euclid", true }, { "Manhattan", true },
    };

    private static double Score(string distance, float[] a, float[] b) => distance switch
    {
        "Cosine" => TestData.Cosine(a, b),
        "Dot" => TestData.Dot(a, b),
        "Euclid" => TestData.Euclid(a, b),
        _ => TestData.Manhattan(a, b),
    };

    [Theory]
    [MemberData(nameof(Distances))]
    public async Task A_filtered_query_returns_the_brute_force_nearest_with_Qdrants_scores(string distance, bool ascending)
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", Dimension, distance);
        float[][] vectors = TestData.Vectors(Count, Dimension, seed: 42);
        (await host.Put("/collections/docs/points", TestData.Points(vectors))).AssertOk();
        float[] query = TestData.Vectors(1, Dimension, seed: 7)[0];

        var candidates = Enumerable.Range(0, Count).Where(i => i % 2 == 0).Select(i => (Id: i + 1, Score: Score(distance, query, vectors[i])));
        var expected = (ascending ? candidates.OrderBy(c => c.Score) : candidates.OrderByDescending(c => c.Score)).Take(5).ToList();

        JsonElement points = (await host.Post("/collections/docs/points/query",
            $$$"""{"query":{{{TestData.Json(query)}}},"filter":{"must":[{"key":"parity","match":{"value":"even"}}]},"limit":5,"with_payload":true}"""))
            .AssertOk().Result.GetProperty("points");
        Assert.Equal(expected.Select(e => e.Id), points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        foreach ((JsonElement point, (int _, double score)) in points.EnumerateArray().Zip(expected))
        {
            Assert.Equal(score, point.GetProperty("score").GetDouble(), 4);
            Assert.Equal("even", point.GetProperty("payload").GetProperty("parity").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(Distances))]
    public async Task Score_threshold_keeps_the_better_side_in_Qdrants_meaning(string distance, bool ascending)
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", Dimension, distance);
        float[][] vectors = TestData.Vectors(Count, Dimension, seed: 3);
        (await host.Put("/collections/docs/points", TestData.Points(vectors))).AssertOk();
        float[] query = TestData.Vectors(1, Dimension, seed: 11)[0];
        var scores = vectors.Select(v => Score(distance, query, v)).Order().ToList();
        double threshold = scores[Count / 2]; // the median: about half the points are better than it
        int better = scores.Count(s => ascending ? s < threshold - 1e-4 : s > threshold + 1e-4);

        JsonElement points = (await host.Post("/collections/docs/points/query",
            $$$"""{"query":{{{TestData.Json(query)}}},"limit":100,"score_threshold":{{{threshold.ToString("R", CultureInfo.InvariantCulture)}}}}"""))
            .AssertOk().Result.GetProperty("points");
        var returned = points.EnumerateArray().Select(p => p.GetProperty("score").GetDouble()).ToList();
        Assert.InRange(returned.Count, better, better + 2); // the median itself (and float rounding at the bound) may pass
        Assert.All(returned, s => Assert.True(ascending ? s <= threshold + 1e-4 : s >= threshold - 1e-4, $"score {s} is on the wrong side of {threshold}"));
    }

    [Fact]
    public async Task A_query_by_point_id_uses_its_vector_and_leaves_the_point_out()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", Dimension, "Dot");
        float[][] vectors = TestData.Vectors(Count, Dimension, seed: 5);
        (await host.Put("/collections/docs/points", TestData.Points(vectors))).AssertOk();
        var expected = Enumerable.Range(0, Count).Where(i => i != 9).OrderByDescending(i => TestData.Dot(vectors[9], vectors[i])).Take(3).Select(i => i + 1);
        JsonElement points = (await host.Post("/collections/docs/points/query", """{"query":10,"limit":3}""")).AssertOk().Result.GetProperty("points");
        Assert.Equal(expected, points.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        (await host.Post("/collections/docs/points/query", """{"query":1000}""")).AssertError(HttpStatusCode.NotFound, "1000");
    }

    [Fact]
    public async Task Offset_pages_through_the_ranking_and_no_query_lists_points_in_id_order()
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", Dimension, "Cosine");
        float[][] vectors = TestData.Vectors(Count, Dimension, seed: 9);
        (await host.Put("/collections/docs/points", TestData.Points(vectors))).AssertOk();
        float[] query = vectors[0];
        var ranking = Enumerable.Range(0, Count).OrderByDescending(i => TestData.Cosine(query, vectors[i])).Select(i => i + 1).ToList();
        JsonElement page = (await host.Post("/collections/docs/points/query", $$"""{"query":{{TestData.Json(query)}},"limit":4,"offset":3}""")).AssertOk().Result.GetProperty("points");
        Assert.Equal(ranking.Skip(3).Take(4), page.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));

        JsonElement listed = (await host.Post("/collections/docs/points/query", """{"filter":{"must":[{"key":"n","range":{"gte":10}}]},"limit":3,"offset":2}""")).AssertOk().Result.GetProperty("points");
        Assert.Equal([13, 14, 15], listed.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Legacy_search_and_the_batch_forms_answer_like_query()
    {
        await using ServerHost host = await ServerHost.Start();
        (await host.Put("/collections/multi", """{"vectors":{"a":{"size":2,"distance":"Euclid"},"b":{"size":2,"distance":"Dot"}}}""")).AssertOk();
        (await host.Put("/collections/multi/points", """{"points":[{"id":1,"vector":{"a":[0,0],"b":[1,0]}},{"id":2,"vector":{"a":[3,4],"b":[0,1]}}]}""")).AssertOk();

        JsonElement search = (await host.Post("/collections/multi/points/search", """{"vector":{"name":"a","vector":[3,3]},"limit":2}""")).AssertOk().Result;
        Assert.Equal([2, 1], search.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
        Assert.Equal(1.0, search[0].GetProperty("score").GetDouble(), 5); // |(3,3) - (3,4)| = 1
        Assert.Equal(Math.Sqrt(18), search[1].GetProperty("score").GetDouble(), 5);

        JsonElement batch = (await host.Post("/collections/multi/points/query/batch",
            """{"searches":[{"query":[0,1],"using":"b","limit":1},{"query":[0.1,0],"using":"a","limit":1,"with_vector":true}]}""")).AssertOk().Result;
        Assert.Equal(2, batch[0].GetProperty("points")[0].GetProperty("id").GetInt32());
        Assert.Equal(1, batch[1].GetProperty("points")[0].GetProperty("id").GetInt32());
        Assert.Equal([0f, 0f], batch[1].GetProperty("points")[0].GetProperty("vector").GetProperty("a").EnumerateArray().Select(x => x.GetSingle()));

        JsonElement searchBatch = (await host.Post("/collections/multi/points/search/batch", """{"searches":[{"vector":{"name":"b","vector":[1,0]},"limit":1}]}""")).AssertOk().Result;
        Assert.Equal(1, searchBatch[0][0].GetProperty("id").GetInt32());
    }

    /// <summary>
    /// Qdrant's RRF: a point scores the sum over the prefetch lists it is in of weight / (k + rank), ranks from 0, k = 2
    /// by default. The expected ranks and scores are worked out here from brute-force dot products.
    /// </summary>
    [Theory]
    [InlineData("""{"fusion":"rrf"}""", 2, 1.0, 1.0)]
    [InlineData("""{"rrf":{"k":5,"weights":[3,1]}}""", 5, 3.0, 1.0)]
    public async Task Prefetches_fused_by_rrf_score_as_Qdrant(string fusion, int k, double weightA, double weightB)
    {
        await using ServerHost host = await ServerHost.Start();
        (await host.Put("/collections/multi", """{"vectors":{"a":{"size":4,"distance":"Dot"},"b":{"size":4,"distance":"Dot"}}}""")).AssertOk();
        float[][] a = TestData.Vectors(40, 4, seed: 21), b = TestData.Vectors(40, 4, seed: 22);
        var points = string.Join(",", Enumerable.Range(0, 40).Select(i => $$$"""{"id":{{{i}}},"vector":{"a":{{{TestData.Json(a[i])}}},"b":{{{TestData.Json(b[i])}}}},"payload":{"even":{{{(i % 2 == 0 ? "true" : "false")}}}}}"""));
        (await host.Put("/collections/multi/points", $$"""{"points":[{{points}}]}""")).AssertOk();
        float[] qa = TestData.Vectors(1, 4, seed: 31)[0], qb = TestData.Vectors(1, 4, seed: 32)[0];

        // Each prefetch: the 6 best even points by dot product (the top-level filter applies to every prefetch).
        List<int> listA = Enumerable.Range(0, 40).Where(i => i % 2 == 0).OrderByDescending(i => TestData.Dot(qa, a[i])).Take(6).ToList();
        List<int> listB = Enumerable.Range(0, 40).Where(i => i % 2 == 0).OrderByDescending(i => TestData.Dot(qb, b[i])).Take(6).ToList();
        var fused = new Dictionary<int, double>();
        for (int rank = 0; rank < 6; rank++)
        {
            fused[listA[rank]] = fused.GetValueOrDefault(listA[rank]) + weightA / (k + rank);
            fused[listB[rank]] = fused.GetValueOrDefault(listB[rank]) + weightB / (k + rank);
        }
        var expected = fused.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(4).ToList();

        JsonElement result = (await host.Post("/collections/multi/points/query", $$$"""
            {"prefetch":[{"query":{{{TestData.Json(qa)}}},"using":"a","limit":6},{"query":{{{TestData.Json(qb)}}},"using":"b","limit":6}],
             "query":{{{fusion}}},"filter":{"must":[{"key":"even","match":{"value":true}}]},"limit":4}
            """)).AssertOk().Result.GetProperty("points");
        var actual = result.EnumerateArray().Select(p => (Id: p.GetProperty("id").GetInt32(), Score: p.GetProperty("score").GetDouble())).ToList();
        Assert.Equal(expected.Select(e => e.Value), actual.Select(p => p.Score), (x, y) => Math.Abs(x - y) < 1e-5);
        foreach ((int id, double score) in actual)
        {
            Assert.Equal(fused[id], score, 5); // ties may come in either order; each id carries its own fused score
        }
        Assert.Equal(expected.Select(e => e.Value).Sum(), actual.Sum(p => p.Score), 4);
    }

    [Theory]
    [InlineData("""{"prefetch":[{"query":[1,0],"prefetch":[{"query":[1,0]}]}],"query":{"fusion":"rrf"}}""", "nested `prefetch`")]
    [InlineData("""{"prefetch":[{"query":[1,0]}],"query":[1,0]}""", "not a fusion")]
    [InlineData("""{"query":{"fusion":"rrf"}}""", "needs `prefetch`es")]
    [InlineData("""{"query":{"indices":[1],"values":[1.0]},"using":"s"}""", "sparse")]
    [InlineData("""{"query":{"recommend":{"positive":[1]}}}""", "`recommend`")]
    [InlineData("""{"query":[1,0,0]}""", "expected dim: 2, got 3")]
    [InlineData("""{"query":[1,0],"using":"nope"}""", "Not existing vector name error: nope")]
    [InlineData("""{"query":[1,0],"filter":{"must":[{"has_id":[1]}]}}""", "`has_id`")]
    [InlineData("""{"query":[1,0],"limit":0}""", "`limit` must be between 1")]
    public async Task Unsupported_or_wrong_queries_are_400_naming_the_problem(string body, string fragment)
    {
        await using ServerHost host = await ServerHost.Start();
        await host.CreateCollection("docs", 2, "Cosine");
        (await host.Post("/collections/docs/points/query", body)).AssertError(HttpStatusCode.BadRequest, fragment);
    }
}
