using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

public sealed class RecordOperationTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _docs;

    public RecordOperationTests()
    {
        _db = _temp.Open();
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Upsert_and_get_numeric_and_string_ids_with_nested_payloads()
    {
        var payload = new JsonObject
        {
            ["s"] = "text",
            ["n"] = 1.5,
            ["b"] = true,
            ["z"] = null,
            ["a"] = new JsonArray(1, "two", false, null, new JsonObject { ["deep"] = new JsonArray(1, 2) }),
            ["o"] = new JsonObject { ["x"] = new JsonObject { ["y"] = "z" } },
        };
        _docs.Upsert(new Record(7, new float[] { 1, 2, 3, 4 }, payload));
        _docs.Upsert(new Record("seven", new float[] { 4, 3, 2, 1 }));
        _docs.Upsert(new Record(Guid.Parse("9f0e2c3c-1a7e-4d58-9e8c-3f1b2a4d5e6f"), new float[] { 0, 0, 0, 1 }));

        Record? got = _docs.Get(7);
        Assert.NotNull(got);
        Assert.Equal(7UL, got.Id.AsNumber);
        Assert.Equal(payload.ToJsonString(), got.Payload!.ToJsonString());
        Assert.Equal(new float[] { 1, 2, 3, 4 }, got.Vector!.Value.ToArray());
        Assert.Equal("", got.Namespace);
        Assert.Null(_docs.Get("seven")!.Payload);
        Assert.NotNull(_docs.Get(Guid.Parse("9f0e2c3c-1a7e-4d58-9e8c-3f1b2a4d5e6f")));
        Assert.Null(_docs.Get("7")); // the string "7" is not the number 7
        Assert.Null(_docs.Get(8));
        Assert.Equal(3, _docs.Count());
    }

    [Fact]
    public void Returned_payloads_are_copies()
    {
        _docs.Upsert(new Record(1, new float[] { 1, 2, 3, 4 }, new JsonObject { ["k"] = "v" }));
        _docs.Get(1)!.Payload!["k"] = "changed";
        Assert.Equal("v", (string?)_docs.Get(1)!.Payload!["k"]);
    }

    [Fact]
    public void Within_one_batch_the_last_write_of_an_id_wins()
    {
        _docs.UpsertMany([
            new Record(1, new float[] { 1, 1, 1, 1 }, new JsonObject { ["v"] = 1 }),
            new Record(2, new float[] { 2, 2, 2, 2 }),
            new Record(1, new float[] { 3, 3, 3, 3 }, new JsonObject { ["v"] = 3 }),
        ]);
        Assert.Equal(2, _docs.Count());
        Assert.Equal(3, (int)_docs.Get(1)!.Payload!["v"]!);
        Assert.Equal(new float[] { 3, 3, 3, 3 }, _docs.Get(1)!.Vector!.Value.ToArray());
    }

    [Fact]
    public void Namespaces_partition_ids()
    {
        _docs.Upsert(new Record(1, new float[] { 1, 0, 0, 0 }) { Namespace = "a" });
        _docs.Upsert(new Record(1, new float[] { 0, 1, 0, 0 }) { Namespace = "b" });
        _docs.Upsert(new Record(1, new float[] { 0, 0, 1, 0 }));
        Assert.Equal(3, _docs.CountAllNamespaces());
        Assert.Equal(1, _docs.Count()); // the default namespace, as in every call that names none
        Assert.Equal(1, _docs.Count(@namespace: "a"));
        Assert.Equal(new float[] { 0, 1, 0, 0 }, _docs.Get(1, "b")!.Vector!.Value.ToArray());
        Assert.Null(_docs.Get(1, "c"));
        Assert.True(_docs.Delete(1, "a"));
        Assert.Null(_docs.Get(1, "a"));
        Assert.NotNull(_docs.Get(1, "b"));
        CollectionStats stats = _docs.GetStats();
        Assert.Equal(1, stats.NamespaceCounts["b"]);
        Assert.Equal(1, stats.NamespaceCounts[""]);
        Assert.False(stats.NamespaceCounts.ContainsKey("a"));
    }

    [Fact]
    public void Delete_one_many_and_by_filter()
    {
        _docs.UpsertMany(TestData.Records(20, 4));
        Assert.True(_docs.Delete(0));
        Assert.False(_docs.Delete(0));
        Assert.Equal(2, _docs.DeleteMany([1, 2, 1000]));
        Assert.Equal(17, _docs.Count());
        // Red is every fourth id (TestData.Colors): 4, 8, 12 and 16 are left after deleting 0.
        Assert.Equal(4, _docs.DeleteByFilter(Filter.Eq("color", "red")));
        Assert.Equal(0, _docs.Count(Filter.Eq("color", "red")));
        Assert.Equal(13, _docs.Count());
        Assert.Equal([3UL, 5, 6, 7, 9, 10, 11, 13, 14, 15, 17, 18, 19],
            _docs.Scroll(new ScrollOptions { IncludePayload = false }).Records.Select(r => r.Id.AsNumber));
    }

    [Fact]
    public void GetMany_keeps_request_order_and_skips_missing()
    {
        _docs.UpsertMany(TestData.Records(5, 4));
        IReadOnlyList<Record> got = _docs.GetMany([3, 99, 1], includeVectors: false);
        Assert.Equal([3UL, 1UL], got.Select(r => r.Id.AsNumber));
        Assert.Null(got[0].Vector);
    }

    [Fact]
    public void UpdatePayload_applies_a_merge_patch_and_keeps_vectors()
    {
        _docs.Upsert(new Record(1, new float[] { 1, 2, 3, 4 }, new JsonObject
        {
            ["keep"] = 1,
            ["drop"] = 2,
            ["nested"] = new JsonObject { ["a"] = 1, ["b"] = 2 },
        }));
        Assert.True(_docs.UpdatePayload(1, new JsonObject
        {
            ["drop"] = null,
            ["nested"] = new JsonObject { ["b"] = null, ["c"] = 3 },
            ["new"] = "x",
        }));
        Record r = _docs.Get(1)!;
        Assert.Equal("""{"keep":1,"nested":{"a":1,"c":3},"new":"x"}""", r.Payload!.ToJsonString());
        Assert.Equal(new float[] { 1, 2, 3, 4 }, r.Vector!.Value.ToArray());
        Assert.False(_docs.UpdatePayload(2, new JsonObject { ["x"] = 1 }));
        Assert.Equal(1, _docs.Count());
    }

    [Fact]
    public void Expired_records_are_invisible_to_every_read()
    {
        _docs.Upsert(new Record(1, new float[] { 1, 0, 0, 0 }, new JsonObject { ["k"] = "v" }) { ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1) });
        _docs.Upsert(new Record(2, new float[] { 1, 0, 0, 0 }, new JsonObject { ["k"] = "v" }) { TimeToLive = TimeSpan.FromHours(1) });
        Assert.Null(_docs.Get(1));
        Assert.NotNull(_docs.Get(2)!.ExpiresAt);
        Assert.Equal(1, _docs.Count());
        Assert.Equal(1, _docs.Count(Filter.Eq("k", "v")));
        Assert.Single(_docs.Search(new float[] { 1, 0, 0, 0 }));
        Assert.Single(_docs.Scroll().Records);
        Assert.False(_docs.UpdatePayload(1, new JsonObject { ["x"] = 1 }));
        Assert.False(_docs.Delete(1));
    }

    [Fact]
    public void Ttl_can_be_set_and_cleared()
    {
        _docs.Upsert(new Record(1, new float[] { 1, 0, 0, 0 }));
        Assert.True(_docs.SetTimeToLive(1, TimeSpan.FromMinutes(5)));
        DateTimeOffset? at = _docs.Get(1)!.ExpiresAt;
        Assert.NotNull(at);
        Assert.InRange(at.Value, DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
        Assert.True(_docs.ClearExpiry(1));
        Assert.Null(_docs.Get(1)!.ExpiresAt);
        Assert.True(_docs.SetExpiry(1, DateTimeOffset.UtcNow.AddSeconds(-5)));
        Assert.Null(_docs.Get(1));
        Assert.False(_docs.SetTimeToLive(42, TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => _docs.SetTimeToLive(1, TimeSpan.Zero));
        Assert.Throws<InvalidRecordException>(() => _docs.Upsert(new Record(3, new float[] { 1, 0, 0, 0 }) { TimeToLive = TimeSpan.FromSeconds(-1) }));
        Assert.Throws<InvalidRecordException>(() => _docs.Upsert(new Record(3, new float[] { 1, 0, 0, 0 }) { TimeToLive = TimeSpan.FromSeconds(1), ExpiresAt = DateTimeOffset.UtcNow }));
    }

    [Fact]
    public void Scroll_pages_through_every_record_once_in_id_order()
    {
        var records = TestData.Records(53, 4);
        records.Add(new Record("b-string", new float[] { 1, 1, 1, 1 }));
        records.Add(new Record("a-string", new float[] { 1, 1, 1, 1 }));
        _docs.UpsertMany(records);
        _docs.Delete(10);

        var seen = new List<string>();
        string? cursor = null;
        int pages = 0;
        do
        {
            ScrollPage page = _docs.Scroll(new ScrollOptions { Limit = 10, Cursor = cursor });
            seen.AddRange(page.Records.Select(r => r.Id.ToString()));
            cursor = page.NextCursor;
            pages++;
        }
        while (cursor is not null);

        var expected = Enumerable.Range(0, 53).Where(i => i != 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Concat(["a-string", "b-string"]).ToList();
        Assert.Equal(expected, seen);
        Assert.Equal(6, pages);

        ScrollPage filtered = _docs.Scroll(new ScrollOptions { Limit = 1000, Filter = Filter.Eq("color", "blue") });
        Assert.All(filtered.Records, r => Assert.Equal("blue", (string?)r.Payload!["color"]));
        Assert.Null(filtered.NextCursor);
        Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Cursor = "not a cursor!" }));
    }

    [Fact]
    public void Metadata_only_collections_store_and_filter_but_do_not_search()
    {
        Collection meta = _db.CreateCollection("meta", CollectionSchema.MetadataOnly());
        meta.Upsert(new Record("a") { Payload = new JsonObject { ["x"] = 1 } });
        meta.Upsert(new Record("b") { Payload = new JsonObject { ["x"] = 2 } });
        Assert.Equal(1, meta.Count(Filter.Gt("x", 1)));
        Assert.Throws<SchemaException>(() => meta.Search(new float[] { 1 }));
        Assert.Throws<InvalidRecordException>(() => meta.Upsert(new Record("c", new float[] { 1 })));
    }

    [Fact]
    public void Several_named_vectors_are_stored_and_searched_by_name()
    {
        Collection multi = _db.CreateCollection("multi", new CollectionSchema().AddVector("text", 3, Metric.Cosine).AddVector("image", 2, Metric.L2));
        multi.Upsert(new Record(1).WithVector("text", new float[] { 1, 0, 0 }).WithVector("image", new float[] { 5, 5 }));
        multi.Upsert(new Record(2).WithVector("text", new float[] { 0, 1, 0 }).WithVector("image", new float[] { 0, 0 }));
        Assert.Equal(1UL, multi.Search(new float[] { 1, 0.1f, 0 }, new SearchOptions { VectorName = "text", TopK = 1 })[0].Id.AsNumber);
        Assert.Equal(2UL, multi.Search(new float[] { 0.1f, 0 }, new SearchOptions { VectorName = "image", TopK = 1 })[0].Id.AsNumber);
        Assert.Throws<SchemaException>(() => multi.Search(new float[] { 1, 0, 0 }));
        Assert.Throws<SchemaException>(() => multi.Search(new float[] { 1, 0, 0 }, new SearchOptions { VectorName = "audio" }));
        Record got = multi.Get(1)!;
        Assert.Equal(new float[] { 5, 5 }, got.Vectors["image"].ToArray());
        Assert.Null(got.Vector);
    }
}
