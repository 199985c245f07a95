using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// Namespaces are tenants: a call scoped to one never reads or changes another. Expected ids are literals from the
/// seeding below (ids 0..9 in each of "", "a" and "b"; colour red for even ids).
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
        [.. _docs.Scroll(new ScrollOptions { Limit = 1000 }).Records.Select(r => (r.Namespace!, r.Id.AsNumber))];

    private static IEnumerable<(string, ulong)> Keys(string ns, params int[] ids) => ids.Select(i => (ns, (ulong)i));

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
    public void DeleteByFilter_without_a_namespace_spans_all_of_them()
    {
        Assert.Equal(15, _docs.DeleteByFilter(Filter.Eq("color", "red")));
        var expected = Keys("", 1, 3, 5, 7, 9).Concat(Keys("a", 1, 3, 5, 7, 9)).Concat(Keys("b", 1, 3, 5, 7, 9)).ToList();
        Assert.Equal(expected, All());
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
