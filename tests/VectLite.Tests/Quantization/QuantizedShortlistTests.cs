using System.Text.Json.Nodes;
using VectLite.Search;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Quantization;

/// <summary>
/// <see cref="QuantizedSearch"/>'s arithmetic on a small collection, fast enough for mutation testing (docs/testing.md,
/// "Quantized and value-graph search"): the shortlist's size (oversampling x k, rounded up, at least ef), the budget's
/// scaling per kind, the exact rescoring of a shortlist that holds the true top-k, SQ8 on L1, and a walk whose budget
/// runs out rescoring nothing. Expected values are literals or a brute force over the test's own copy of the data.
/// </summary>
public sealed class QuantizedShortlistTests : IDisposable
{
    private const int Dimension = 8;
    private const int Count = 1_200; // above QuantizationOptions.MinTrainingVectors: trained at once
    private const int TopK = 10;
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly float[][] _vectors;

    public QuantizedShortlistTests()
    {
        _db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        var random = new Random(29);
        _vectors = [.. Enumerable.Range(0, Count).Select(_ => TestData.RandomVector(random, Dimension))];
    }

    public void Dispose()
    {
        QuantizedSearch.OversamplingForBench = null;
        SearchPlanner.ForcedPath = null;
        _db.Dispose();
        _temp.Dispose();
    }

    private Collection Create(Metric metric, QuantizationKind kind)
    {
        Collection c = _db.CreateCollection("c" + metric + kind, new CollectionSchema().AddVector("v", Dimension, metric, new QuantizationOptions { Kind = kind })
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1 }));
        c.UpsertMany(_vectors.Select((v, i) => new Record(i, v, new JsonObject { ["rare"] = i % 100 == 0 })));
        Assert.StartsWith($"{kind}: trained", c.GetStats().VectorIndexes[0].Quantization);
        return c;
    }

    private static float[] Query(Random random) => TestData.RandomVector(random, Dimension);

    private static double L2(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());

    private static double L1(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs((double)x - y)).Sum();

    [Theory]
    [InlineData(QuantizationKind.Sq8, 4_000)]
    [InlineData(QuantizationKind.Binary, 16_000)]
    [InlineData(QuantizationKind.RaBitQ, 16_000)]
    [InlineData(QuantizationKind.Pq, 8_000)]
    [InlineData(QuantizationKind.Float16, 2_000)]
    public void The_budget_in_float32_distances_buys_more_code_scores_per_kind(QuantizationKind kind, int expected)
    {
        Assert.Equal(expected, QuantizedSearch.ScaleBudget(1_000, kind));
        Assert.Equal(int.MaxValue, QuantizedSearch.ScaleBudget(int.MaxValue, kind)); // no overflow: the unlimited budget stays unlimited
        Assert.Equal(int.MaxValue, QuantizedSearch.ScaleBudget(int.MaxValue / 2 + 1, kind)); // every factor is at least 2
    }

    [Theory]
    [InlineData(3f, 16, 30)] // oversampling x k, above ef
    [InlineData(1.25f, 8, 13)] // 12.5, rounded up
    [InlineData(1f, 10, 10)]
    [InlineData(2f, 64, 20)] // ef 64 walks more, but only the shortlist is rescored
    public void The_shortlist_rescored_is_oversampling_times_k_rounded_up(float oversampling, int ef, int expected)
    {
        Collection c = Create(Metric.L2, QuantizationKind.Sq8);
        var random = new Random(3);
        QuantizedSearch.OversamplingForBench = oversampling;
        for (int q = 0; q < 5; q++)
        {
            QuantizedSearch.LastRescored = 0;
            Assert.Equal(TopK, c.Search(Query(random), new SearchOptions { TopK = TopK, Ef = ef, IncludePayload = false }).Count);
            Assert.Equal(expected, QuantizedSearch.LastRescored);
        }
    }

    [Theory]
    [InlineData(Metric.L2, QuantizationKind.Sq8)]
    [InlineData(Metric.L1, QuantizationKind.Sq8)]
    [InlineData(Metric.L2, QuantizationKind.Binary)]
    [InlineData(Metric.L1, QuantizationKind.RaBitQ)]
    public void A_shortlist_that_holds_the_true_top_k_is_rescored_into_it_in_order_with_exact_scores(Metric metric, QuantizationKind kind)
    {
        // Oversampling 60: a shortlist of 600 of the 1,200 rows holds the true top 10 whatever the codes' error, so the
        // hits must be the brute force's, in its order, with its scores.
        Collection c = Create(metric, kind);
        QuantizedSearch.OversamplingForBench = 60;
        var random = new Random(4);
        for (int q = 0; q < 10; q++)
        {
            float[] query = Query(random);
            Func<float[], float[], double> distance = metric == Metric.L1 ? L1 : L2;
            List<(int Id, double Distance)> expected = [.. Enumerable.Range(0, Count).Select(i => (i, distance(query, _vectors[i])))
                .OrderBy(e => e.Item2).ThenBy(e => e.i).Take(TopK)];
            QuantizedSearch.LastRescored = 0;
            IReadOnlyList<SearchHit> hits = c.Search(query, new SearchOptions { TopK = TopK, Ef = 64, IncludePayload = false });
            Assert.Equal(600, QuantizedSearch.LastRescored);
            Assert.Equal(expected.Select(e => (ulong)e.Id), hits.Select(h => h.Id.AsNumber));
            for (int i = 0; i < TopK; i++)
            {
                Assert.Equal(-expected[i].Distance, hits[i].Score, 1e-4);
            }
        }
    }

    [Theory]
    [InlineData(Metric.L1, QuantizationKind.Sq8, 0.9)]
    [InlineData(Metric.L2, QuantizationKind.Sq8, 0.9)]
    [InlineData(Metric.Cosine, QuantizationKind.Sq8, 0.9)]
    public void With_no_oversampling_the_codes_alone_rank_the_shortlist_well(Metric metric, QuantizationKind kind, double minimum)
    {
        // Oversampling 1 and ef = k: rescoring cannot repair the walk's order, so recall is the codes' (and the walk's).
        // A codec whose query preparation is wrong (a sign, a scale) ranks by something else and loses most of it.
        Collection c = Create(metric, kind);
        QuantizedSearch.OversamplingForBench = 1;
        var random = new Random(6);
        int found = 0;
        const int Queries = 30;
        for (int q = 0; q < Queries; q++)
        {
            float[] query = Query(random);
            Func<int, double> rank = metric switch
            {
                Metric.L1 => i => L1(query, _vectors[i]),
                Metric.L2 => i => L2(query, _vectors[i]),
                _ => i => -Cosine(query, _vectors[i]),
            };
            var truth = Enumerable.Range(0, Count).OrderBy(rank).Take(TopK).Select(i => (ulong)i).ToHashSet();
            QuantizedSearch.LastRescored = 0;
            found += c.Search(query, new SearchOptions { TopK = TopK, Ef = TopK, IncludePayload = false }).Count(h => truth.Contains(h.Id.AsNumber));
            Assert.Equal(TopK, QuantizedSearch.LastRescored);
        }
        double recall = (double)found / (Queries * TopK);
        Assert.True(recall >= minimum, $"{kind} {metric} recall@{TopK} at oversampling 1: {recall:0.000} < {minimum}");
    }

    private static double Cosine(float[] a, float[] b) =>
        a.Zip(b, (x, y) => (double)x * y).Sum() / Math.Sqrt(a.Sum(x => (double)x * x) * b.Sum(x => (double)x * x));

    [Fact]
    public void A_row_the_filter_rejects_next_to_the_query_never_comes_back_through_the_rescoring()
    {
        // The shortlist (3 x 10 = 30) is drained into a pooled array longer than it (32): rescoring must read only the
        // 30 it drained. Row 0 is the query's nearest row and the filter rejects it; a read past the 30 would offer a
        // slot the drain never wrote (row 0 in a zeroed array) and rescoring would rank it first.
        Collection c = Create(Metric.L2, QuantizationKind.Sq8);
        SearchPlanner.ForcedPath = SearchPath.GraphThrough; // the walk on codes, not the planner's exact scan of 99% of the rows
        QuantizedSearch.OversamplingForBench = 3;
        var random = new Random(9);
        for (int q = 0; q < 5; q++)
        {
            float[] query = [.. _vectors[0].Select(x => x + (0.001f * (float)random.NextDouble()))];
            QuantizedSearch.LastRescored = 0;
            List<ulong> hits = [.. c.Search(query, new SearchOptions { TopK = TopK, Ef = 16, Filter = Filter.Eq("rare", false), IncludePayload = false })
                .Select(h => h.Id.AsNumber)];
            Assert.Equal(30, QuantizedSearch.LastRescored);
            List<ulong> expected = [.. Enumerable.Range(0, Count).Where(i => i % 100 != 0).OrderBy(i => L2(query, _vectors[i])).Take(TopK).Select(i => (ulong)i)];
            Assert.DoesNotContain(0UL, hits);
            Assert.Equal(expected, hits);
        }
    }

    [Fact]
    public void A_walk_whose_budget_runs_out_rescores_nothing_and_the_scan_answers()
    {
        // 12 rows of 1,200 pass: a walk through rejected nodes spends the planner's budget long before it finds ef of them.
        Collection c = Create(Metric.L2, QuantizationKind.Sq8);
        SearchPlanner.ForcedPath = SearchPath.GraphThrough;
        var random = new Random(8);
        float[] query = Query(random);
        QuantizedSearch.LastRescored = 0;
        IReadOnlyList<SearchHit> hits = c.Search(query, new SearchOptions { TopK = TopK, Ef = 200, Filter = Filter.Eq("rare", true), IncludePayload = false });
        Assert.Equal(SearchPath.Exact, SearchPlanner.LastPath);
        Assert.Equal(0, QuantizedSearch.LastRescored);
        List<ulong> expected = [.. Enumerable.Range(0, Count).Where(i => i % 100 == 0).OrderBy(i => L2(query, _vectors[i])).Take(TopK).Select(i => (ulong)i)];
        Assert.Equal(expected, hits.Select(h => h.Id.AsNumber));
    }
}
