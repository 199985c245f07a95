using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// Scroll with a filter the payload indexes answer: a selective one (1% of the rows here) pages through the index's
/// candidates, a broad one walks the id-ordered key index; both must give the same pages, in scroll order (namespace
/// name, then id), resume after their cursors, honour StartAt, and see records written between pages. The expected
/// lists are sorted by the test from the records it wrote.
/// </summary>
public sealed class ScrollSelectiveFilterTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _c;
    private readonly SortedSet<(string Ns, ulong Id)> _rare = new(Comparer<(string Ns, ulong Id)>.Create((a, b) =>
        string.CompareOrdinal(a.Ns, b.Ns) is var o && o != 0 ? o : a.Id.CompareTo(b.Id)));

    public ScrollSelectiveFilterTests()
    {
        _db = _temp.Open();
        _c = _db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        _c.CreatePayloadIndex("k", PayloadIndexKind.Keyword);
        foreach (string ns in new[] { "", "t1" })
        {
            _c.UpsertMany(Enumerable.Range(0, 1500).Select(i => Rec((ulong)i, ns, i % 100 == 7 ? "rare" : "common")));
            for (ulong i = 7; i < 1500; i += 100)
            {
                _rare.Add((ns, i));
            }
        }
        // A deleted rare record, a rare one turned common, a common one turned rare.
        _c.Delete(107);
        _rare.Remove(("", 107));
        _c.UpdatePayload(207, new JsonObject { ["k"] = "common" }, "t1");
        _rare.Remove(("t1", 207));
        _c.UpdatePayload(1, new JsonObject { ["k"] = "rare" });
        _rare.Add(("", 1));
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private static Record Rec(ulong id, string ns, string k) => new(id, new float[] { id, 1 }, new JsonObject { ["k"] = k }) { Namespace = ns };

    private List<(string Ns, ulong Id)> ScrollAll(ScrollOptions first)
    {
        var seen = new List<(string, ulong)>();
        ScrollOptions options = first;
        while (true)
        {
            ScrollPage page = _c.Scroll(options);
            seen.AddRange(page.Records.Select(r => (r.Namespace ?? "", r.Id.AsNumber)));
            if (page.NextCursor is null)
            {
                return seen;
            }
            options = new ScrollOptions { Limit = first.Limit, Filter = first.Filter, Namespace = first.Namespace, AllNamespaces = first.AllNamespaces, Cursor = page.NextCursor };
        }
    }

    [Fact]
    public void A_selective_filter_pages_through_every_match_in_scroll_order()
    {
        Assert.Equal(_rare.ToList(), ScrollAll(new ScrollOptions { Limit = 7, Filter = Filter.Eq("k", "rare"), AllNamespaces = true }));
        Assert.Equal(_rare.Where(k => k.Ns == "t1").ToList(), ScrollAll(new ScrollOptions { Limit = 4, Filter = Filter.Eq("k", "rare"), Namespace = "t1" }));
    }

    [Fact]
    public void The_broad_filter_and_the_selective_filter_agree_on_the_shared_pages()
    {
        // "common or rare" matches everything (the id-order path); restricted to the rare ids it must give the same list.
        List<(string Ns, ulong Id)> broad = ScrollAll(new ScrollOptions { Limit = 500, Filter = Filter.In("k", "rare", "common"), AllNamespaces = true });
        Assert.Equal(2999, broad.Count);
        Assert.Equal(_rare.ToList(), broad.Where(_rare.Contains).ToList());
    }

    [Fact]
    public void StartAt_and_writes_between_pages()
    {
        ScrollPage fromTen = _c.Scroll(new ScrollOptions { Limit = 3, Filter = Filter.Eq("k", "rare"), StartAt = 7 });
        Assert.Equal([7UL, 207, 307], fromTen.Records.Select(r => r.Id.AsNumber)); // 107 was deleted

        // A rare record written after the cursor appears on the next page; one before it does not.
        _c.Upsert(Rec(350, "", "rare"));
        _c.Upsert(Rec(5, "", "rare"));
        ScrollPage next = _c.Scroll(new ScrollOptions { Limit = 2, Filter = Filter.Eq("k", "rare"), Cursor = fromTen.NextCursor });
        Assert.Equal([350UL, 407], next.Records.Select(r => r.Id.AsNumber));
    }
}
