using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Sparse;

/// <summary>
/// Multi-vector (late interaction) spaces: token matrices stored bit for bit through the log and checkpoints, MaxSim
/// scores against a brute force computed here, candidates found through the token graph (fewer records scored than
/// the collection holds), deletes, filters and namespaces, typed errors.
/// </summary>
public sealed class MultiVectorTests : IDisposable
{
    private const int Dimension = 8;

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CollectionSchema Schema(Metric metric = Metric.Cosine) =>
        new CollectionSchema().AddMultiVector("colbert", Dimension, metric).WithHnsw(new HnswOptions { M = 16, EfConstruction = 100 });

    private static float[][] Tokens(Random rng, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Dimension).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray())];

    private static Record MakeRecord(ulong id, float[][] tokens, string? ns = null) =>
        new Record(id) { Namespace = ns, Payload = new JsonObject { ["g"] = (int)(id % 2) } }.WithMultiVector("colbert", [.. tokens.Select(t => new ReadOnlyMemory<float>(t))]);

    /// <summary>MaxSim computed here in double: per query token the best cosine (or dot) over the document's tokens, summed.</summary>
    private static double MaxSim(float[][] query, float[][] doc, Metric metric)
    {
        double sum = 0;
        foreach (float[] q in query)
        {
            double best = double.NegativeInfinity;
            foreach (float[] d in doc)
            {
                double dot = 0, nq = 0, nd = 0;
                for (int i = 0; i < q.Length; i++)
                {
                    dot += (double)q[i] * d[i];
                    nq += (double)q[i] * q[i];
                    nd += (double)d[i] * d[i];
                }
                best = Math.Max(best, metric == Metric.Cosine ? dot / Math.Sqrt(nq * nd) : dot);
            }
            sum += best;
        }
        return sum;
    }

    [Fact]
    public void Token_matrices_come_back_bit_for_bit_live_after_replay_and_after_a_checkpoint()
    {
        float[][] odd = [[1e-30f, -0f, float.Epsilon, 3.4e38f, 1, 2, 3, 4], [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, -0.8f]];
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", Schema().AddSparseVector("s"));
            c.Upsert(MakeRecord(1, odd));
            c.Upsert(new Record(2).WithSparseVector("s", new SparseVector([1], [1f])));
            AssertTokens(c, odd, "live");
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            AssertTokens(c, odd, "after replay");
            c.Compact();
        }
        using (Database db = _temp.Open())
        {
            AssertTokens(db.GetCollection("docs"), odd, "after the checkpoint");
        }
    }

    private static void AssertTokens(Collection c, float[][] expected, string when)
    {
        ReadOnlyMemory<float>[] tokens = c.Get(1)!.MultiVectors["colbert"];
        Assert.Equal(expected.Length, tokens.Length);
        for (int t = 0; t < expected.Length; t++)
        {
            Assert.True(expected[t].Select(BitConverter.SingleToInt32Bits).SequenceEqual(tokens[t].ToArray().Select(BitConverter.SingleToInt32Bits)), $"{when}: token {t}");
        }
        Assert.Empty(c.Get(2)!.MultiVectors);
        Assert.Equal([1u], c.Get(2)!.SparseVectors["s"].Indices.ToArray());
    }

    [Theory]
    [InlineData(Metric.Cosine)]
    [InlineData(Metric.Dot)]
    public void MaxSim_matches_a_brute_force_and_candidates_come_from_the_token_graph(Metric metric)
    {
        var rng = new Random(11);
        var model = new Dictionary<ulong, float[][]>();
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", Schema(metric));
            for (ulong id = 0; id < 400; id++)
            {
                model[id] = Tokens(rng, rng.Next(3, 9));
            }
            c.UpsertMany(model.Select(e => MakeRecord(e.Key, e.Value)));
            for (ulong id = 0; id < 400; id += 9)
            {
                Assert.True(c.Delete(id));
                model.Remove(id);
            }
            AssertSearches(c, model, metric, rng, "live");
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            AssertSearches(c, model, metric, rng, "after replay");
            c.Compact();
            AssertSearches(c, model, metric, rng, "after compact");
        }
    }

    private static void AssertSearches(Collection c, Dictionary<ulong, float[][]> model, Metric metric, Random rng, string when)
    {
        int found = 0, wanted = 0;
        for (int q = 0; q < 10; q++)
        {
            float[][] query = Tokens(rng, 3);
            ReadOnlyMemory<float>[] queryTokens = [.. query.Select(t => new ReadOnlyMemory<float>(t))];
            var truth = model.Select(e => (Id: e.Key, Score: MaxSim(query, e.Value, metric))).OrderByDescending(e => e.Score).ToList();

            // Exact: every visible record scored; equal to the brute force.
            IReadOnlyList<SearchHit> exact = c.SearchMultiVector("colbert", queryTokens, new SearchOptions { TopK = 5, Exact = true });
            Assert.Equal(truth.Take(5).Select(e => e.Id), exact.Select(h => h.Id.AsNumber));
            Assert.Equal(model.Count, CollectionEngine.LastMultiVectorCandidates);

            // Through the graph: far fewer records scored, the same scores for what is found.
            IReadOnlyList<SearchHit> hits = c.SearchMultiVector("colbert", queryTokens, new SearchOptions { TopK = 5 });
            Assert.True(CollectionEngine.LastMultiVectorCandidates < model.Count, $"{when}: {CollectionEngine.LastMultiVectorCandidates} candidates of {model.Count} records");
            foreach (SearchHit h in hits)
            {
                Assert.Equal(MaxSim(query, model[h.Id.AsNumber], metric), h.Score, 1e-4);
            }
            found += hits.Select(h => h.Id.AsNumber).Intersect(truth.Take(5).Select(e => e.Id)).Count();
            wanted += 5;

            // A filter: only g = 1 (odd ids), exact against the brute force restricted to them.
            IReadOnlyList<SearchHit> odd = c.SearchMultiVector("colbert", queryTokens, new SearchOptions { TopK = 5, Exact = true, Filter = Filter.Eq("g", 1) });
            Assert.Equal(truth.Where(e => e.Id % 2 == 1).Take(5).Select(e => e.Id), odd.Select(h => h.Id.AsNumber));
            Assert.All(c.SearchMultiVector("colbert", queryTokens, new SearchOptions { TopK = 5, Filter = Filter.Eq("g", 1) }), h => Assert.Equal(1UL, h.Id.AsNumber % 2));
        }
        Assert.True(found >= 0.9 * wanted, $"{when}: the graph found {found} of the {wanted} true top-5 records");
    }

    [Fact]
    public void Namespaces_scope_the_search()
    {
        var rng = new Random(3);
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", Schema());
        float[][] shared = Tokens(rng, 4);
        c.Upsert(MakeRecord(1, shared));
        c.Upsert(MakeRecord(2, shared, "t"));
        ReadOnlyMemory<float>[] query = [.. shared.Select(t => new ReadOnlyMemory<float>(t))];
        Assert.Equal([("", 1UL)], c.SearchMultiVector("colbert", query).Select(h => (h.Namespace, h.Id.AsNumber)));
        Assert.Equal([("t", 2UL)], c.SearchMultiVector("colbert", query, new SearchOptions { Namespace = "t" }).Select(h => (h.Namespace, h.Id.AsNumber)));
        Assert.Equal(2, c.SearchMultiVector("colbert", query, new SearchOptions { AllNamespaces = true }).Count);
        Assert.Equal(4, c.SearchMultiVector("colbert", query)[0].Score, 1e-5); // each token finds itself: 4 x cosine 1
    }

    [Fact]
    public void Bad_token_matrices_are_typed_errors_before_the_log()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", Schema());
        float[] good = [1, 0, 0, 0, 0, 0, 0, 0];
        Assert.Throws<DimensionMismatchException>(() => c.Upsert(new Record(1).WithMultiVector("colbert", good, new float[] { 1, 2 })));
        var nan = Assert.Throws<InvalidVectorException>(() => c.Upsert(new Record(1).WithMultiVector("colbert", good, new float[] { 1, float.NaN, 0, 0, 0, 0, 0, 0 })));
        Assert.Contains("token 1", nan.Message);
        var none = Assert.Throws<InvalidVectorException>(() => c.Upsert(new Record(1).WithMultiVector("colbert")));
        Assert.Contains("has 0 token vectors", none.Message);
        Assert.Throws<InvalidRecordException>(() => c.Upsert(new Record(1).WithMultiVector("other", good)));
        Assert.Equal(0, c.Count());
        Assert.Throws<SchemaException>(() => c.SearchMultiVector("other", [good]));
        Assert.Throws<DimensionMismatchException>(() => c.SearchMultiVector("colbert", [new float[] { 1 }]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CollectionSchema().AddMultiVector("m", 4, Metric.L2));
        Assert.Throws<SchemaException>(() => new CollectionSchema().AddSparseVector("m").AddMultiVector("m", 4));
    }

    [Fact]
    public void A_multi_vector_prefetch_ranks_by_maxsim_inside_a_hybrid_query()
    {
        var rng = new Random(11);
        var docs = new Dictionary<ulong, float[][]>();
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", Schema());
        for (ulong id = 1; id <= 30; id++)
        {
            docs[id] = Tokens(rng, 3);
            c.Upsert(MakeRecord(id, docs[id]));
        }
        float[][] query = Tokens(rng, 4);
        ulong[] expected = [.. docs.OrderByDescending(d => MaxSim(query, d.Value, Metric.Cosine)).Select(d => d.Key).Take(5)];

        QueryResult result = c.Query(new HybridQuery
        {
            Prefetches = [Prefetch.MultiVector("colbert", [.. query.Select(t => new ReadOnlyMemory<float>(t))], limit: 5, weight: 2)],
            TopK = 5,
        });

        Assert.Equal(expected, result.Hits.Select(h => h.Id.AsNumber));
        for (int rank = 0; rank < 5; rank++)
        {
            Assert.Equal(2.0 / (60 + rank + 1), result.Hits[rank].Score, 6); // reciprocal rank fusion, k 60, weight 2
        }
        Assert.Contains(result.Stages, s => s.Name == "prefetch 0: multi-vector 'colbert' (limit 5)" && s.Candidates == 5);
    }

    [Fact]
    public void A_bad_multi_vector_prefetch_is_refused_before_any_search()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", Schema());
        c.Upsert(MakeRecord(1, Tokens(new Random(1), 2)));

        Assert.Throws<SchemaException>(() => c.Query(new HybridQuery { Prefetches = [Prefetch.MultiVector("nope", [new float[Dimension]])] }));
        Assert.Throws<DimensionMismatchException>(() => c.Query(new HybridQuery { Prefetches = [Prefetch.MultiVector("colbert", [new float[Dimension + 1]])] }));
        Assert.Throws<InvalidVectorException>(() => c.Query(new HybridQuery { Prefetches = [Prefetch.MultiVector("colbert", [])] }));
    }
}
