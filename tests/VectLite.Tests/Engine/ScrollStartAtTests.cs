namespace VectLite.Tests.Engine;

/// <summary>ScrollOptions.StartAt: a page that begins at an id, inclusive (how Qdrant's scroll offset works).</summary>
public sealed class ScrollStartAtTests
{
    private static Collection Filled(Database db)
    {
        Collection c = db.CreateCollection("c", CollectionSchema.MetadataOnly());
        var records = new List<Record>();
        foreach (ulong id in new ulong[] { 1, 3, 5, 7, 9 })
        {
            records.Add(new Record(id) { Payload = new System.Text.Json.Nodes.JsonObject { ["odd3"] = id % 3 != 0 } });
        }
        records.Add(new Record("a"));
        records.Add(new Record("c"));
        records.Add(new Record(4) { Namespace = "other" });
        c.UpsertMany(records);
        return c;
    }

    [Fact]
    public void A_page_starts_at_the_id_inclusive_numbers_then_strings_in_the_scrolled_namespace()
    {
        using Database db = Database.OpenInMemory();
        Collection c = Filled(db);
        Assert.Equal(["5", "7"], c.Scroll(new ScrollOptions { StartAt = 5, Limit = 2 }).Records.Select(r => r.Id.ToString()));
        Assert.Equal(["5", "7", "9", "a", "c"], c.Scroll(new ScrollOptions { StartAt = 4 }).Records.Select(r => r.Id.ToString()));
        Assert.Equal(["a", "c"], c.Scroll(new ScrollOptions { StartAt = "a" }).Records.Select(r => r.Id.ToString()));
        Assert.Equal(["c"], c.Scroll(new ScrollOptions { StartAt = "b" }).Records.Select(r => r.Id.ToString()));
        Assert.Empty(c.Scroll(new ScrollOptions { StartAt = "d" }).Records);
        Assert.Equal(["4"], c.Scroll(new ScrollOptions { StartAt = 4, Namespace = "other" }).Records.Select(r => r.Id.ToString()));
    }

    [Fact]
    public void The_page_cursor_continues_after_a_StartAt_page_and_the_filter_applies()
    {
        using Database db = Database.OpenInMemory();
        Collection c = Filled(db);
        var filter = Filter.Eq("odd3", true); // 1, 5, 7 (3 and 9 are multiples of 3)
        ScrollPage first = c.Scroll(new ScrollOptions { StartAt = 2, Limit = 1, Filter = filter });
        Assert.Equal([5UL], first.Records.Select(r => r.Id.AsNumber));
        ScrollPage second = c.Scroll(new ScrollOptions { Cursor = first.NextCursor, Limit = 10, Filter = filter });
        Assert.Equal([7UL], second.Records.Select(r => r.Id.AsNumber));
        Assert.Equal(["5", "7"], c.ScrollAllAsync(new ScrollOptions { StartAt = 2, Limit = 1, Filter = filter }).ToBlockingEnumerable().Select(r => r.Id.ToString()));
    }

    [Fact]
    public void StartAt_with_a_cursor_or_all_namespaces_is_an_argument_error()
    {
        using Database db = Database.OpenInMemory();
        Collection c = Filled(db);
        string cursor = c.Scroll(new ScrollOptions { Limit = 1 }).NextCursor!;
        Assert.Contains("StartAt", Assert.Throws<ArgumentException>(() => c.Scroll(new ScrollOptions { StartAt = 1, Cursor = cursor })).Message, StringComparison.Ordinal);
        Assert.Contains("StartAt", Assert.Throws<ArgumentException>(() => c.Scroll(new ScrollOptions { StartAt = 1, AllNamespaces = true })).Message, StringComparison.Ordinal);
    }
}
