using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Api;

/// <summary>Search by a stored record's id: its vector is the query, the record itself is left out, the options apply.</summary>
public sealed class SearchByIdTests
{
    // On a line, so L2 order is obvious: distances from id 2 (x = 2) are |x - 2|.
    private static readonly (ulong Id, float X, string Color)[] Line =
        [(0, 0, "red"), (1, 1, "blue"), (2, 2, "red"), (3, 3.5f, "blue"), (4, 6, "red"), (5, 10, "red")];

    private static Collection LineCollection(Database db)
    {
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(1, Metric.L2));
        foreach ((ulong id, float x, string color) in Line)
        {
            c.Upsert(new Record(id, new[] { x }, new JsonObject { ["color"] = color }));
        }
        return c;
    }

    [Fact]
    public void The_record_is_the_query_and_not_a_hit()
    {
        using Database db = Database.OpenInMemory();
        Collection c = LineCollection(db);

        IReadOnlyList<SearchHit> hits = c.SearchById(2, new SearchOptions { TopK = 3 });
        Assert.Equal([1UL, 3, 0], hits.Select(h => h.Id.AsNumber)); // |1-2|=1, |3.5-2|=1.5, |0-2|=2; 2 itself left out
        Assert.Equal([-1f, -1.5f, -2f], hits.Select(h => h.Score));

        // Offset, filter and threshold apply to the list without the record.
        Assert.Equal([3UL, 0], c.SearchById(2, new SearchOptions { TopK = 2, Offset = 1 }).Select(h => h.Id.AsNumber));
        Assert.Equal([0UL, 4, 5], c.SearchById(2, new SearchOptions { Filter = Filter.Eq("color", "red") }).Select(h => h.Id.AsNumber));
        Assert.Equal([1UL, 3], c.SearchById(2, new SearchOptions { ScoreThreshold = -1.5f }).Select(h => h.Id.AsNumber));
        Assert.Equal(5, c.SearchById(2, new SearchOptions { TopK = 100 }).Count);
    }

    [Fact]
    public void Another_record_with_the_same_vector_is_a_hit_with_the_top_score()
    {
        using Database db = Database.OpenInMemory();
        Collection c = LineCollection(db);
        c.Upsert(new Record("twin", new[] { 2f }));
        IReadOnlyList<SearchHit> hits = c.SearchById(2, new SearchOptions { TopK = 2 });
        Assert.Equal(["twin", "1"], hits.Select(h => h.Id.ToString()));
        Assert.Equal(0f, hits[0].Score);
    }

    [Fact]
    public void A_missing_deleted_or_expired_record_is_a_record_not_found_error()
    {
        using Database db = Database.OpenInMemory();
        Collection c = LineCollection(db);
        var missing = Assert.Throws<RecordNotFoundException>(() => c.SearchById(99));
        Assert.Equal((VectLiteErrorCode.RecordNotFound, 99UL, ""), (missing.Code, missing.Id.AsNumber, missing.Namespace));

        c.Delete(1);
        Assert.Throws<RecordNotFoundException>(() => c.SearchById(1));
        c.SetExpiry(3, DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Throws<RecordNotFoundException>(() => c.SearchById(3));
        Assert.Equal([0UL, 4], c.SearchById(2, new SearchOptions { TopK = 2 }).Select(h => h.Id.AsNumber));
    }

    [Fact]
    public void The_record_is_looked_up_and_searched_in_the_namespace_of_the_options()
    {
        using Database db = Database.OpenInMemory();
        Collection c = LineCollection(db);
        c.UpsertMany([
            new Record("a", new[] { 2.2f }) { Namespace = "tenant" },
            new Record("b", new[] { 9f }) { Namespace = "tenant" },
        ]);

        var error = Assert.Throws<RecordNotFoundException>(() => c.SearchById("a")); // null: the default namespace
        Assert.Contains("default namespace", error.Message, StringComparison.Ordinal);
        Assert.Equal(["b"], c.SearchById("a", new SearchOptions { Namespace = "tenant" }).Select(h => h.Id.AsString));
        Assert.Throws<RecordNotFoundException>(() => c.SearchById(2, new SearchOptions { Namespace = "tenant" }));
        Assert.Throws<RecordNotFoundException>(() => c.SearchById(2, new SearchOptions { Namespace = "never-used" }));

        // All namespaces: the record comes from the default one, the hits from everywhere.
        IReadOnlyList<SearchHit> everywhere = c.SearchById(2, new SearchOptions { TopK = 2, AllNamespaces = true });
        Assert.Equal([("a", "tenant"), ("1", "")], everywhere.Select(h => (h.Id.ToString(), h.Namespace)));
    }

    [Fact]
    public void The_named_vector_of_the_options_is_the_query()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", new CollectionSchema().AddVector("text", 1, Metric.L2).AddVector("image", 1, Metric.L2));
        c.UpsertMany([
            new Record(1).WithVector("text", new[] { 0f }).WithVector("image", new[] { 100f }),
            new Record(2).WithVector("text", new[] { 1f }).WithVector("image", new[] { 0f }),
            new Record(3).WithVector("text", new[] { 50f }).WithVector("image", new[] { 99f }),
        ]);
        Assert.Equal(2UL, c.SearchById(1, new SearchOptions { TopK = 1, VectorName = "text" })[0].Id.AsNumber);
        Assert.Equal(3UL, c.SearchById(1, new SearchOptions { TopK = 1, VectorName = "image" })[0].Id.AsNumber);
        Assert.Throws<SchemaException>(() => c.SearchById(1));
    }

    [Fact]
    public void Cosine_search_by_id_leaves_the_stored_vector_as_written()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.Cosine));
        float[] raw = [3, 4];
        c.UpsertMany([new Record(1, raw), new Record(2, new float[] { 4, 3 }), new Record(3, new float[] { -1, 0 })]);
        SearchHit best = c.SearchById(1, new SearchOptions { TopK = 1 })[0];
        Assert.Equal(2UL, best.Id.AsNumber);
        Assert.Equal(0.96f, best.Score, 5); // (3*4 + 4*3) / 25
        Assert.Equal(raw, c.Get(1)!.Vector!.Value.ToArray());
    }

    [Fact]
    public void Through_the_graph_the_hits_still_number_top_k()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(8, Metric.L2));
        c.UpsertMany(TestData.Records(5000, 8, seed: 7)); // past the planner's exact-scan size: the HNSW graph answers

        foreach (ulong id in new ulong[] { 0, 1234, 4999 })
        {
            IReadOnlyList<SearchHit> hits = c.SearchById(id, new SearchOptions { TopK = 10 });
            Assert.Equal(10, hits.Count);
            Assert.DoesNotContain(hits, h => h.Id.AsNumber == id);
            IReadOnlyList<SearchHit> exact = c.SearchById(id, new SearchOptions { TopK = 10, Exact = true });
            Assert.Equal(10, exact.Count);
            Assert.DoesNotContain(exact, h => h.Id.AsNumber == id);
            Assert.True(hits.Select(h => h.Id).Intersect(exact.Select(h => h.Id)).Count() >= 8, "recall of the graph search by id");
        }
    }
}
