using System.Text.Json.Nodes;
using VectLite.Search;

namespace VectLite.Tests.Engine;

/// <summary>
/// Filters that avoid the query's neighbourhood (anti-correlated), planned freely: the filtered walk's probe sees that
/// the rows around the query pass far less often than the filter does overall and answers with the exact scan at once
/// (recall 1 against a brute force over the test's own copy of the data), instead of walking through the rejected
/// clusters first; filters that do not avoid it (uncorrelated, label-correlated) keep the planned walk. The walk over
/// passing nodes (<see cref="SearchPath.GraphPassing"/>), which the planner does not choose (its recall stops near
/// 0.93 on real data), is checked forced.
/// </summary>
/// <remarks>
/// Data: 10 well-separated clusters of 400 rows (16-d), label = cluster, bucket = a hash of the row. Queries sit in
/// cluster 0; "anti" filters pass the clusters whose centres are farthest from cluster 0's, so every rejected row of
/// the nearer clusters is closer to the query than any passing row.
/// </remarks>
public sealed class AntiCorrelatedFilterTests : IDisposable
{
    private const int Dimension = 16;
    private const int Clusters = 10;
    private const int PerCluster = 400;
    private const int TopK = 10;
    private const int Queries = 30;
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _docs;
    private readonly List<(ulong Id, int Label, int Bucket, float[] Vector)> _rows = [];
    private readonly float[][] _centers;
    private readonly int[] _byDistanceFromZero;

    public AntiCorrelatedFilterTests()
    {
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2)
            .WithHnsw(new HnswOptions { M = 16, EfConstruction = 100, MinIndexedVectors = 1, MaxInsertThreads = 1 }));
        _docs.CreatePayloadIndex("label", PayloadIndexKind.Keyword);
        _docs.CreatePayloadIndex("bucket", PayloadIndexKind.Numeric);
        // The planned walks below are the planner's constants' (its defaults): keep this collection's measured costs out.
        _docs.Engine.StateForTests.CostModel(0).FreezeForTests();
        var random = new Random(23);
        _centers = [.. Enumerable.Range(0, Clusters).Select(_ => TestData.RandomVector(random, Dimension).Select(x => x * 10).ToArray())];
        var records = new List<Record>();
        for (int i = 0; i < Clusters * PerCluster; i++)
        {
            int label = i % Clusters;
            float[] v = [.. _centers[label].Zip(TestData.RandomVector(random, Dimension), (c, n) => c + n)];
            int bucket = (int)((uint)(i * 2654435761u) % 100);
            _rows.Add(((ulong)i, label, bucket, v));
            records.Add(new Record((ulong)i, v, new JsonObject { ["label"] = "c" + label, ["bucket"] = bucket }));
        }
        _docs.UpsertMany(records);
        _byDistanceFromZero = [.. Enumerable.Range(0, Clusters).OrderBy(c => Distance(_centers[c], _centers[0]))];
        Assert.Equal(0, _byDistanceFromZero[0]);
    }

    public void Dispose()
    {
        SearchPlanner.ForcedPath = null;
        _db.Dispose();
        _temp.Dispose();
    }

    private static double Distance(float[] a, float[] b) => a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum();

    /// <summary>The labels of the <paramref name="count"/> clusters farthest from (anti) or nearest to (correlated) cluster 0.</summary>
    private int[] Labels(int count, bool farthest) =>
        farthest ? [.. _byDistanceFromZero.Reverse().Take(count)] : [.. _byDistanceFromZero.Take(count)];

    private static Filter LabelFilter(int[] labels) => Filter.In("label", [.. labels.Select(l => "c" + l)]);

    [Theory]
    [InlineData(5)] // 50%: planned as a walk through rejected nodes
    [InlineData(2)] // 20%: planned as a two-hop walk
    [InlineData(1)] // 10%: planned as a two-hop walk
    public void A_filter_that_avoids_the_query_neighbourhood_is_answered_by_the_exact_scan(int clusters)
    {
        int[] labels = Labels(clusters, farthest: true);
        // ef 10 below 50%: at 4,000 rows a larger ef makes the planned two-hop walk dearer than the scan.
        (double recall, Dictionary<SearchPath, int> paths) = Run(LabelFilter(labels), r => labels.Contains(r.Label), ef: clusters == 5 ? 32 : 10);
        // Without the probe most of these walks stay within the small collection's budget (433 distances at 50%) and
        // answer from the graph; with it, every query is scanned.
        Assert.True(paths.Keys.All(p => p == SearchPath.Exact), $"Paths: {Describe(paths)}");
        Assert.Equal(1.0, recall);
    }

    [Theory]
    [InlineData("uncorrelated", 50, "through")]
    [InlineData("correlated", 50, "through")]
    [InlineData("uncorrelated", 20, "two-hop")]
    [InlineData("correlated", 20, "two-hop")]
    public void A_filter_that_does_not_avoid_it_keeps_the_planned_walk(string kind, int percent, string walk)
    {
        SearchPath planned = walk == "through" ? SearchPath.GraphThrough : SearchPath.GraphTwoHop;
        int[] nearest = Labels(percent / 10, farthest: false);
        Filter filter = kind == "uncorrelated" ? Filter.Lt("bucket", percent) : LabelFilter(nearest);
        Func<(ulong Id, int Label, int Bucket, float[] Vector), bool> keep = kind == "uncorrelated"
            ? r => r.Bucket < percent
            : r => nearest.Contains(r.Label);
        // ef 10 at 20%: at 4,000 rows a larger ef makes the two-hop walk dearer than the scan.
        (double recall, Dictionary<SearchPath, int> paths) = Run(filter, keep, ef: percent == 50 ? 32 : 10);
        // Never switched; a two-hop walk may exceed the small collection's budget (366 distances at 20%) and be scanned.
        Assert.True(paths.GetValueOrDefault(planned) >= Queries / 2 && paths.Keys.All(p => p == planned || p == SearchPath.Exact), $"Paths: {Describe(paths)}");
        Assert.True(recall >= 0.9, $"Recall {recall:0.000} below 0.9.");
    }

    [Fact]
    public void The_walk_over_passing_nodes_forced_finds_the_nearest_passing_rows_of_an_anti_correlated_filter()
    {
        int[] labels = Labels(3, farthest: true);
        SearchPlanner.ForcedPath = SearchPath.GraphPassing;
        (double recall, Dictionary<SearchPath, int> paths) = Run(LabelFilter(labels), r => labels.Contains(r.Label), ef: 32);
        Assert.True(paths.GetValueOrDefault(SearchPath.GraphPassing) == Queries, $"Paths: {Describe(paths)}");
        Assert.True(recall >= 0.9, $"Recall {recall:0.000} below 0.9.");
    }

    private static string Describe(Dictionary<SearchPath, int> paths) => string.Join(", ", paths.Select(p => $"{p.Key} {p.Value}"));

    private (double Recall, Dictionary<SearchPath, int> Paths) Run(Filter filter, Func<(ulong Id, int Label, int Bucket, float[] Vector), bool> keep, int ef)
    {
        var random = new Random(5);
        var paths = new Dictionary<SearchPath, int>();
        int found = 0, wanted = 0;
        for (int q = 0; q < Queries; q++)
        {
            float[] query = [.. _centers[0].Zip(TestData.RandomVector(random, Dimension), (c, n) => c + n)];
            List<ulong> expected = [.. _rows.Where(keep).OrderBy(r => Distance(r.Vector, query)).ThenBy(r => r.Id).Take(TopK).Select(r => r.Id)];
            List<ulong> actual = [.. _docs.Search(query, new SearchOptions { TopK = TopK, Ef = ef, Filter = filter, IncludePayload = false }).Select(h => h.Id.AsNumber)];
            paths[SearchPlanner.LastPath] = paths.GetValueOrDefault(SearchPlanner.LastPath) + 1;
            Assert.All(actual, id => Assert.True(keep(_rows[(int)id]), $"Row {id} does not pass the filter."));
            found += actual.Intersect(expected).Count();
            wanted += expected.Count;
        }
        return ((double)found / wanted, paths);
    }
}
