using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// Namespaces are tenants: a call scoped to one never reads or changes another, and a call that names none is scoped to
/// the default namespace, in every method alike; only the explicitly named all-namespaces forms span them. Expected ids
/// are literals from the seeding below (ids 0..9 in each of "", "a" and "b"; vector (i, 1); colour red for even ids).
/// </summary>
public sealed class NamespaceScopeTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _docs;

    public NamespaceScopeTests()
    {
        _db = _temp.Open();
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        foreach (string ns in new[] { "", "a", "b" })
        {
            _docs.UpsertMany(Enumerable.Range(0, 10).Select(i => new Record(i, new float[] { i, 1 }, new JsonObject { ["color"] = i % 2 == 0 ? "red" : "blue" }) { Namespace = ns }));
        }
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private List<(string, ulong)> All() =>
        [.. _docs.Scroll(new ScrollOptions { Limit = 1000, AllNamespaces = true }).Records.Select(r => (r.Namespace!, r.Id.AsNumber))];

    private static IEnumerable<(string, ulong)> Keys(string ns, params int[] ids) => ids.Select(i => (ns, (ulong)i));

    private static readonly int[] Ten = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    private static List<(string, ulong)> Hits(IEnumerable<SearchHit> hits) => [.. hits.Select(h => (h.Namespace, h.Id.AsNumber)).Order()];

    private List<(string, ulong)> ScrollPaged(ScrollOptions options)
    {
        var seen = new List<(string, ulong)>();
        string? cursor = null;
        do
        {
            ScrollPage page = _docs.Scroll(new ScrollOptions { Namespace = options.Namespace, AllNamespaces = options.AllNamespaces, Filter = options.Filter, Limit = 4, Cursor = cursor });
            seen.AddRange(page.Records.Select(r => (r.Namespace!, r.Id.AsNumber)));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return seen;
    }

    // ---- Search ----

    [Fact]
    public void Search_without_a_namespace_searches_only_the_default_namespace()
    {
        // Top 30 of a 30-record collection: every record the scope holds, and none it does not.
        var hits = _docs.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 30 });
        Assert.Equal(Keys("", Ten), Hits(hits));
        Assert.Equal(Keys("", Ten), Hits(_docs.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 30, Namespace = "" })));
    }

    [Fact]
    public void A_compacted_and_reopened_collection_still_scopes_search_to_the_default_namespace()
    {
        // The default namespace's rows are listed only once a second namespace exists: a compaction (which copies the
        // rows into a fresh state) and a reopen (which loads them) must list the default ones again before "a" appears,
        // or a search of the default namespace, a third of the rows, would find none.
        using var temp = new TempDatabase();
        using (Database db = temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
            foreach (string ns in new[] { "", "a", "b" })
            {
                c.UpsertMany(Enumerable.Range(0, 10).Select(i => new Record(i, new float[] { i, 1 }) { Namespace = ns }));
            }
            c.Delete(9UL);
            c.Delete(9UL, "a");
            c.Compact();
            Assert.Equal(Keys("", 0, 1, 2, 3, 4, 5, 6, 7, 8), Hits(c.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 30 })));
        }
        using (Database db = temp.Open())
        {
            Collection c = db.GetCollection("docs")!;
            Assert.Equal(Keys("", 0, 1, 2, 3, 4, 5, 6, 7, 8), Hits(c.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 30 })));
            Assert.Equal(Keys("a", 0, 1, 2, 3, 4, 5, 6, 7, 8), Hits(c.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 30, Namespace = "a" })));
        }
    }

    [Fact]
    public void Search_of_a_named_namespace_searches_only_it()
    {
        var hits = _docs.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 30, Namespace = "a", Filter = Filter.Eq("color", "red") });
        Assert.Equal(Keys("a", 0, 2, 4, 6, 8), Hits(hits));
        Assert.Empty(_docs.Search(new float[] { 0, 1 }, new SearchOptions { Namespace = "nobody" }));
    }

    [Fact]
    public void Search_of_all_namespaces_spans_every_namespace()
    {
        var hits = _docs.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 30, AllNamespaces = true });
        Assert.Equal(Keys("", Ten).Concat(Keys("a", Ten)).Concat(Keys("b", Ten)).Order().ToList(), Hits(hits));
        // The nearest record, (0, 1), is id 0 in each namespace: three hits at distance 0 come first.
        var best = _docs.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 3, AllNamespaces = true });
        Assert.Equal([("", 0UL), ("a", 0UL), ("b", 0UL)], Hits(best));
        Assert.All(best, h => Assert.Equal(0f, h.Score));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    public void Search_with_both_a_namespace_and_all_namespaces_is_refused(string ns)
    {
        var error = Assert.Throws<ArgumentException>(() => _docs.Search(new float[] { 0, 1 }, new SearchOptions { Namespace = ns, AllNamespaces = true }));
        Assert.Contains("SearchOptions.Namespace", error.Message, StringComparison.Ordinal);
        Assert.Contains("SearchOptions.AllNamespaces", error.Message, StringComparison.Ordinal);
    }

    // ---- Scroll ----

    [Fact]
    public void Scroll_without_a_namespace_lists_only_the_default_namespace()
    {
        Assert.Equal(Keys("", Ten), ScrollPaged(new ScrollOptions()));
        Assert.Equal(Keys("", Ten), ScrollPaged(new ScrollOptions { Namespace = "" }));
    }

    [Fact]
    public void Scroll_of_all_namespaces_pages_through_every_namespace_in_namespace_then_id_order()
    {
        Assert.Equal(Keys("", Ten).Concat(Keys("a", Ten)).Concat(Keys("b", Ten)).ToList(), ScrollPaged(new ScrollOptions { AllNamespaces = true }));
        Assert.Equal(Keys("", 1, 3, 5, 7, 9).Concat(Keys("a", 1, 3, 5, 7, 9)).Concat(Keys("b", 1, 3, 5, 7, 9)).ToList(),
            ScrollPaged(new ScrollOptions { AllNamespaces = true, Filter = Filter.Eq("color", "blue") }));
    }

    [Fact]
    public void Scroll_with_both_a_namespace_and_all_namespaces_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Namespace = "a", AllNamespaces = true }));
        Assert.Contains("ScrollOptions.Namespace", error.Message, StringComparison.Ordinal);
        Assert.Contains("ScrollOptions.AllNamespaces", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scroll_cursor_continues_only_a_scroll_of_its_own_scope()
    {
        string fromA = _docs.Scroll(new ScrollOptions { Namespace = "a", Limit = 3 }).NextCursor!;
        string fromDefault = _docs.Scroll(new ScrollOptions { Limit = 3 }).NextCursor!;
        string fromAll = _docs.Scroll(new ScrollOptions { AllNamespaces = true, Limit = 12 }).NextCursor!; // stops inside "a"

        // The same scope continues: null and "" are one scope.
        Assert.Equal(Keys("a", 3, 4, 5), _docs.Scroll(new ScrollOptions { Namespace = "a", Limit = 3, Cursor = fromA }).Records.Select(r => (r.Namespace!, r.Id.AsNumber)));
        Assert.Equal(Keys("", 3, 4, 5), _docs.Scroll(new ScrollOptions { Namespace = "", Limit = 3, Cursor = fromDefault }).Records.Select(r => (r.Namespace!, r.Id.AsNumber)));
        Assert.Equal(Keys("a", 2, 3, 4), _docs.Scroll(new ScrollOptions { AllNamespaces = true, Limit = 3, Cursor = fromAll }).Records.Select(r => (r.Namespace!, r.Id.AsNumber)));

        // Another scope refuses it, naming both scopes.
        var error = Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Namespace = "b", Cursor = fromA }));
        Assert.Contains("namespace 'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("namespace 'b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("this scroll covers the default namespace.", Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Cursor = fromA })).Message, StringComparison.Ordinal);
        Assert.Contains("this scroll covers all namespaces.", Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { AllNamespaces = true, Cursor = fromA })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Namespace = "a", Cursor = fromDefault }));
        Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { AllNamespaces = true, Cursor = fromDefault }));
        Assert.Contains("all namespaces", Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Namespace = "a", Cursor = fromAll })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Cursor = fromAll }));
    }

    // ---- Count ----

    [Fact]
    public void Count_without_a_namespace_counts_only_the_default_namespace()
    {
        _docs.Delete(0, "a"); // the namespaces differ in size, so a count of the wrong one shows
        _docs.DeleteMany([0, 1], "b");
        Assert.Equal(10, _docs.Count());
        Assert.Equal(10, _docs.Count(@namespace: ""));
        Assert.Equal(5, _docs.Count(Filter.Eq("color", "red")));
        Assert.Equal(9, _docs.Count(@namespace: "a"));
        Assert.Equal(4, _docs.Count(Filter.Eq("color", "red"), "b"));
        Assert.Equal(0, _docs.Count(@namespace: "nobody"));
    }

    [Fact]
    public void CountAllNamespaces_spans_every_namespace()
    {
        _docs.Delete(0, "a");
        Assert.Equal(29, _docs.CountAllNamespaces());
        Assert.Equal(14, _docs.CountAllNamespaces(Filter.Eq("color", "red")));
    }

    // ---- DeleteByFilter ----

    [Fact]
    public void DeleteByFilter_in_one_namespace_leaves_the_others_alone()
    {
        Assert.Equal(5, _docs.DeleteByFilter(Filter.Eq("color", "red"), "a"));
        var expected = Keys("", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
            .Concat(Keys("a", 1, 3, 5, 7, 9))
            .Concat(Keys("b", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9)).ToList();
        Assert.Equal(expected, All());
    }

    [Fact]
    public void DeleteByFilter_scoped_to_an_unknown_namespace_deletes_nothing()
    {
        Assert.Equal(0, _docs.DeleteByFilter(Filter.Eq("color", "red"), "nobody"));
        Assert.Equal(30, All().Count);
    }

    [Fact]
    public void DeleteByFilter_without_a_namespace_deletes_only_in_the_default_namespace()
    {
        Assert.Equal(5, _docs.DeleteByFilter(Filter.Eq("color", "red")));
        var expected = Keys("", 1, 3, 5, 7, 9).Concat(Keys("a", Ten)).Concat(Keys("b", Ten)).ToList();
        Assert.Equal(expected, All());
    }

    [Fact]
    public void DeleteByFilterInAllNamespaces_deletes_in_every_namespace()
    {
        Assert.Equal(15, _docs.DeleteByFilterInAllNamespaces(Filter.Eq("color", "red")));
        var expected = Keys("", 1, 3, 5, 7, 9).Concat(Keys("a", 1, 3, 5, 7, 9)).Concat(Keys("b", 1, 3, 5, 7, 9)).ToList();
        Assert.Equal(expected, All());
    }

    /// <summary>
    /// The report, as the README quickstart ran it: one record in "tenant-a", the rest in the default namespace
    /// (exactly two namespaces, the case where the default namespace is not the only one but nearly).
    /// </summary>
    [Fact]
    public void A_tenant_record_is_invisible_to_every_call_that_names_no_namespace()
    {
        Collection c = _db.CreateCollection("quickstart", CollectionSchema.SingleVector(2, Metric.L2));
        c.UpsertMany([
            new Record(1, new float[] { 1, 0 }, new JsonObject { ["lang"] = "en" }),
            new Record(2, new float[] { 0, 1 }, new JsonObject { ["lang"] = "pl" }),
            new Record("doc-3", new float[] { 1, 0 }, new JsonObject { ["lang"] = "en" }) { Namespace = "tenant-a" },
        ]);
        Assert.Null(c.Get("doc-3"));
        Assert.Equal([("", 1UL), ("", 2UL)], Hits(c.Search(new float[] { 1, 0 }, new SearchOptions { TopK = 10 })));
        Assert.Equal(2, c.Scroll().Records.Count);
        Assert.Equal(1, c.Count(Filter.Eq("lang", "en")));
        Assert.Equal(2, c.CountAllNamespaces(Filter.Eq("lang", "en")));
        Assert.Equal(1, c.DeleteByFilter(Filter.Eq("lang", "en")));
        Assert.NotNull(c.Get("doc-3", "tenant-a"));
        Assert.Equal(["doc-3"], c.Search(new float[] { 1, 0 }, new SearchOptions { Namespace = "tenant-a" }).Select(h => h.Id.ToString()));
    }

    [Fact]
    public void DeleteByFilter_in_a_namespace_survives_reopen()
    {
        _docs.DeleteByFilter(Filter.Eq("color", "blue"), "b");
        _db.Dispose();
        using Database reopened = _temp.Open();
        Collection docs = reopened.GetCollection("docs");
        Assert.Equal(10, docs.Count(@namespace: ""));
        Assert.Equal(10, docs.Count(@namespace: "a"));
        Assert.Equal(Keys("b", 0, 2, 4, 6, 8), docs.Scroll(new ScrollOptions { Namespace = "b" }).Records.Select(r => (r.Namespace!, r.Id.AsNumber)));
    }

    [Fact]
    public void Scroll_in_one_namespace_pages_through_only_that_namespace()
    {
        var seen = new List<(string, ulong)>();
        string? cursor = null;
        do
        {
            ScrollPage page = _docs.Scroll(new ScrollOptions { Namespace = "b", Limit = 3, Cursor = cursor });
            seen.AddRange(page.Records.Select(r => (r.Namespace!, r.Id.AsNumber)));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        Assert.Equal(Keys("b", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9), seen);
    }

    [Fact]
    public void Scroll_of_the_default_namespace_and_of_an_unknown_one()
    {
        Assert.Equal(Keys("", 1, 3, 5, 7, 9),
            _docs.Scroll(new ScrollOptions { Namespace = "", Filter = Filter.Eq("color", "blue") }).Records.Select(r => (r.Namespace!, r.Id.AsNumber)));
        ScrollPage none = _docs.Scroll(new ScrollOptions { Namespace = "nobody" });
        Assert.Empty(none.Records);
        Assert.Null(none.NextCursor);
    }
}
