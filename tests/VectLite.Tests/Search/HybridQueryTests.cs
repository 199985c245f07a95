using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Search;

/// <summary>
/// <see cref="Collection.Query"/>: prefetches on two named vectors, fused by reciprocal rank, distribution-based and
/// linear fusion, MMR, the threshold, filters, namespaces and validation. The records sit on lines so that each
/// prefetch's ranking (by L2 distance) is known by hand; the fused scores are worked out on paper from the formulas
/// in docs/search.md.
/// </summary>
public sealed class HybridQueryTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _c;

    public HybridQueryTests()
    {
        _db = _temp.Open();
        _c = _db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2, "a").AddVector("b", 2, Metric.L2));
        // From the origin: by "a" the order is 1 (distance 1), 2 (2), 3 (3), 4 (10); by "b" it is 3 (1), 1 (2), 4 (3), 2 (10).
        _c.UpsertMany([
            V(1, a: 1, b: 2, lang: "en"),
            V(2, a: 2, b: 10, lang: "de"),
            V(3, a: 3, b: 1, lang: "en"),
            V(4, a: 10, b: 3, lang: "de"),
        ]);
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private static Record V(ulong id, float a, float b, string lang, string? ns = null) =>
        new Record(id) { Namespace = ns, Payload = new JsonObject { ["lang"] = lang } }
            .WithVector("a", new float[] { a, 0 })
            .WithVector("b", new float[] { b, 0 });

    private static readonly float[] Origin = [0, 0];

    private static HybridQuery TwoPrefetches(FusionMethod fusion, float weightB = 1, int limit = 3) => new()
    {
        Prefetches = [new Prefetch(Origin) { VectorName = "a", Limit = limit, Exact = true }, new Prefetch(Origin) { VectorName = "b", Limit = limit, Exact = true, Weight = weightB }],
        Fusion = fusion,
        TopK = 10,
    };

    private static ulong[] Ids(QueryResult r) => [.. r.Hits.Select(h => h.Id.AsNumber)];

    [Fact]
    public void Reciprocal_rank_fusion_sums_weight_over_k_plus_rank()
    {
        // "a" gives [1, 2, 3], "b" gives [3, 1, 4] (limit 3). k = 60:
        // 1: 1/61 + 1/62, 3: 1/63 + 1/61, 2: 1/62, 4: 1/63.
        QueryResult r = _c.Query(TwoPrefetches(FusionMethod.ReciprocalRank(60)));
        Assert.Equal([1UL, 3, 2, 4], Ids(r));
        Assert.Equal((1.0 / 61) + (1.0 / 62), r.Hits[0].Score, 6);
        Assert.Equal((1.0 / 63) + (1.0 / 61), r.Hits[1].Score, 6);
        Assert.Equal(1.0 / 62, r.Hits[2].Score, 6);
        Assert.Equal(1.0 / 63, r.Hits[3].Score, 6);

        // Weight 3 on "b": 3: 1/63 + 3/61 = 0.065053 beats 1: 1/61 + 3/62 = 0.064780.
        QueryResult weighted = _c.Query(TwoPrefetches(FusionMethod.ReciprocalRank(60), weightB: 3));
        Assert.Equal([3UL, 1, 4, 2], Ids(weighted));
        Assert.Equal((1.0 / 63) + (3.0 / 61), weighted.Hits[0].Score, 6);
    }

    [Fact]
    public void Fused_hits_carry_each_records_payload_and_vectors_only_when_asked()
    {
        // Written above: 1 and 3 "en", 2 and 4 "de"; vector "a" of 1 is (1, 0), "b" (2, 0).
        QueryResult r = _c.Query(TwoPrefetches(FusionMethod.ReciprocalRank(60)));
        Assert.Equal(["en", "en", "de", "de"], r.Hits.Select(h => (string?)h.Payload!["lang"]));
        Assert.Same(r.Hits[0].Payload, r.Hits[0].Payload); // made once, then kept
        Assert.Null(r.Hits[0].Vectors);

        QueryResult bare = _c.Query(new HybridQuery
        {
            Prefetches = TwoPrefetches(FusionMethod.ReciprocalRank(60)).Prefetches,
            Fusion = FusionMethod.ReciprocalRank(60),
            TopK = 10,
            IncludePayload = false,
            IncludeVectors = true,
        });
        Assert.All(bare.Hits, h => Assert.Null(h.Payload));
        Assert.Equal([1f, 0f], bare.Hits[0].Vectors!["a"].ToArray());
        Assert.Equal([2f, 0f], bare.Hits[0].Vectors!["b"].ToArray());
    }

    [Fact]
    public void Linear_fusion_sums_min_max_normalised_scores()
    {
        // Each list's scores are -1, -2, -3 (negated L2 distances): normalised 1, 0.5, 0.
        // 1: 1 + 0.5, 3: 0 + 1, 2: 0.5, 4: 0.
        QueryResult r = _c.Query(TwoPrefetches(FusionMethod.Linear()));
        Assert.Equal([1UL, 3, 2, 4], Ids(r));
        Assert.Equal([1.5, 1.0, 0.5, 0.0], r.Hits.Select(h => Math.Round(h.Score, 6)));
    }

    [Fact]
    public void Distribution_based_fusion_maps_mean_plus_minus_three_deviations_to_zero_and_one()
    {
        // Scores -1, -2, -3: mean -2, deviation sqrt(2/3), so -2 -/+ sqrt(6) maps to 0 and 1: -1 -> 0.5 + 1/(2 sqrt 6),
        // -2 -> 0.5, -3 -> 0.5 - 1/(2 sqrt 6).
        double hi = 0.5 + (1 / (2 * Math.Sqrt(6))), lo = 0.5 - (1 / (2 * Math.Sqrt(6)));
        QueryResult r = _c.Query(TwoPrefetches(FusionMethod.DistributionBased()));
        Assert.Equal([1UL, 3, 2, 4], Ids(r));
        Assert.Equal(hi + 0.5, r.Hits[0].Score, 5);
        Assert.Equal(lo + hi, r.Hits[1].Score, 5);
        Assert.Equal(0.5, r.Hits[2].Score, 5);
        Assert.Equal(lo, r.Hits[3].Score, 5);
    }

    [Fact]
    public void Mmr_trades_a_near_duplicate_for_a_different_record()
    {
        Collection m = _db.CreateCollection("mmr", CollectionSchema.SingleVector(2, Metric.L2));
        // From the origin: 1 at distance 1, 2 at 1.01 in the same direction as 1 (a near duplicate), 3 at 1.2 at a right angle.
        m.UpsertMany([new Record(1, new float[] { 1, 0 }), new Record(2, new float[] { 1.01f, 0 }), new Record(3, new float[] { 0, 1.2f })]);
        var plain = new HybridQuery { Prefetches = [new Prefetch(Origin) { Exact = true }], TopK = 2 };
        Assert.Equal([1UL, 2], Ids(m.Query(plain)));

        // Relevance (RRF, min-max over the 3 candidates): 1, 0.5, 0. After picking 1, record 2 scores
        // 0.5 * 0.5 - 0.5 * cos(2, 1) = -0.25 and record 3 scores 0.5 * 0 - 0.5 * cos(3, 1) = 0: 3 is picked.
        QueryResult diverse = m.Query(new HybridQuery { Prefetches = plain.Prefetches, TopK = 2, Mmr = new MmrOptions { Lambda = 0.5f } });
        Assert.Equal([1UL, 3], Ids(diverse));
        Assert.Null(diverse.Hits[0].Vectors); // vectors fetched for MMR are not returned unless asked for
        // Lambda 1 is the fused order.
        Assert.Equal([1UL, 2], Ids(m.Query(new HybridQuery { Prefetches = plain.Prefetches, TopK = 2, Mmr = new MmrOptions { Lambda = 1f } })));
    }

    [Fact]
    public void Filters_namespaces_threshold_and_stages()
    {
        _c.Upsert(V(5, a: 0.5f, b: 0.5f, lang: "en", ns: "t1"));
        var query = new HybridQuery
        {
            Prefetches = [new Prefetch(Origin) { VectorName = "a", Limit = 3, Exact = true, Filter = Filter.Eq("lang", "en") },
                          new Prefetch(Origin) { VectorName = "b", Limit = 3, Exact = true }],
            Fusion = FusionMethod.Linear(),
        };
        // "a" filtered to English: [1, 3] (scores -1, -3 -> 1, 0); "b": [3, 1, 4] -> 1, 0.5, 0. 1: 1.5, 3: 1, 4: 0.
        QueryResult r = _c.Query(query);
        Assert.Equal([1UL, 3, 4], Ids(r));
        Assert.Equal(["prefetch 0: dense 'a' (limit 3, filtered)", "prefetch 1: dense 'b' (limit 3)", "fusion Linear"], r.Stages.Select(s => s.Name));
        Assert.Equal([2, 3, 3], r.Stages.Select(s => s.Candidates));

        // The threshold cuts the fused scores (1.5, 1, 0 above).
        QueryResult cut = _c.Query(new HybridQuery { Prefetches = query.Prefetches, Fusion = FusionMethod.Linear(), ScoreThreshold = 1.2f });
        Assert.Equal([1UL], Ids(cut));
        Assert.Equal("threshold 1.2", cut.Stages[^1].Name);
        // The shared filter applies to both: "a" [1, 3] -> 1, 0; "b" [3, 1] -> 1, 0; 1 and 3 tie at 1, in first-seen order.
        QueryResult shared = _c.Query(new HybridQuery { Prefetches = query.Prefetches, Fusion = FusionMethod.Linear(), Filter = Filter.Eq("lang", "en") });
        Assert.Equal([1UL, 3], Ids(shared));
        Assert.Equal([1.0, 1.0], shared.Hits.Select(h => Math.Round(h.Score, 6)));

        // Namespace t1 holds only record 5; all namespaces see it first.
        Assert.Equal([5UL], Ids(_c.Query(new HybridQuery { Prefetches = query.Prefetches, Namespace = "t1" })));
        Assert.Equal(5UL, _c.Query(new HybridQuery { Prefetches = [new Prefetch(Origin) { VectorName = "b", Exact = true }], AllNamespaces = true }).Hits[0].Id.AsNumber);
    }

    [Fact]
    public void Bad_queries_are_typed_errors_before_any_search()
    {
        Assert.Throws<ArgumentException>(() => _c.Query(new HybridQuery()));
        Assert.Throws<SchemaException>(() => _c.Query(new HybridQuery { Prefetches = [new Prefetch(Origin)] })); // two vectors, no name
        Assert.Throws<SchemaException>(() => _c.Query(new HybridQuery { Prefetches = [new Prefetch(Origin) { VectorName = "nope" }] }));
        Assert.Throws<DimensionMismatchException>(() => _c.Query(new HybridQuery { Prefetches = [new Prefetch(Origin) { VectorName = "a" }, new Prefetch(new float[] { 1, 2, 3 }) { VectorName = "b" }] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _c.Query(new HybridQuery { Prefetches = [new Prefetch(Origin) { VectorName = "a", Weight = 0 }] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _c.Query(new HybridQuery { Prefetches = [new Prefetch(Origin) { VectorName = "a" }], Mmr = new MmrOptions { Lambda = 2 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => FusionMethod.ReciprocalRank(-1));
        Assert.Throws<ArgumentException>(() => _c.Query(new HybridQuery { Prefetches = [new Prefetch(Origin) { VectorName = "a" }], Namespace = "x", AllNamespaces = true }));
    }
}
