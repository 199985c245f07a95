using System.Text;
using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary><see cref="CollectionStats.Memory"/>: each component against a figure computed from what the test wrote.</summary>
public sealed class MemoryStatsTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static JsonObject Payload(int i, string tag) => new() { ["n"] = i, ["tag"] = tag };

    [Fact]
    public void Components_follow_what_is_stored_and_a_checkpoint_frees_dead_rows()
    {
        using Database db = _temp.Open(new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(100, Metric.L2));
        var random = new Random(3);
        c.UpsertMany(Enumerable.Range(0, 1_000).Select(i => new Record(i, TestData.RandomVector(random, 100), Payload(i, "a"))));
        long text = Enumerable.Range(0, 1_000).Sum(i => (long)Encoding.UTF8.GetByteCount(Payload(i, "a").ToJsonString()));

        CollectionStats stats = c.GetStats();
        MemoryStats memory = stats.Memory!;
        Assert.Equal(text, memory.Payloads);
        // 100 floats are stored padded to 112 (a multiple of 16): whole rows of 448 bytes, at least 1,000 of them (the
        // arena allocates chunks of many rows at once, and counts them whole).
        Assert.True(memory.Vectors >= 1_000L * 448 && memory.Vectors % 448 == 0, $"{memory.Vectors} bytes of vectors");
        Assert.Equal(stats.VectorIndexes[0].MemoryBytes, memory.Graphs);
        Assert.True(memory.Graphs > 1_000L * 16 * 4, $"graph of {memory.Graphs} bytes for 1,000 nodes of up to 32 links");
        Assert.Equal(0, memory.PayloadIndexes);
        Assert.InRange(memory.Rows, 1_000L * 48, 1_000L * 400);
        Assert.Equal(memory.Vectors + memory.Graphs + memory.Payloads + memory.Rows + memory.PayloadIndexes, memory.Total);

        // Payload updates add rows: their text counts until a checkpoint drops the replaced ones.
        for (int i = 0; i < 500; i++)
        {
            c.UpdatePayload((ulong)i, new JsonObject { ["tag"] = "bb" });
        }
        long updated = text + Enumerable.Range(0, 500).Sum(i => (long)Encoding.UTF8.GetByteCount(Payload(i, "bb").ToJsonString()));
        Assert.Equal(updated, c.GetStats().Memory!.Payloads);

        c.Compact();
        long live = Enumerable.Range(0, 1_000).Sum(i => (long)Encoding.UTF8.GetByteCount(Payload(i, i < 500 ? "bb" : "a").ToJsonString()));
        Assert.Equal(live, c.GetStats().Memory!.Payloads);
    }

    [Fact]
    public void Rows_count_the_row_chunks_and_the_key_table_not_a_per_key_estimate()
    {
        using Database db = _temp.Open(new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled });
        Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        c.UpsertMany(Enumerable.Range(0, 10_000).Select(i => new Record(i)));

        // 10,000 rows take 3 chunks of 4,096 rows of 32 bytes of metadata (no deletion mark, expiry, namespace or previous
        // row chunk: nothing was deleted, replaced or expires, every row is in the default namespace, and those columns
        // hold chunks only where rows have another value); the key table holds
        // 16,384 slots of 4 bytes (10,000 keys fill at most 3/4 of it). No namespace row list: every row is in the
        // default namespace, the only one, and its list would hold every row (its empty object and the directories are
        // the slack allowed).
        long rowChunks = 3L * 4096 * 32;
        long keyTable = 16_384L * 4;
        long rows = c.GetStats().Memory!.Rows;
        Assert.InRange(rows, rowChunks + keyTable, rowChunks + keyTable + 256);

        // A delete in the first 4,096 rows and one in the last chunk: two chunks of 8-byte marks. An expiry: one chunk.
        c.Delete(5UL);
        c.Delete(9_999UL);
        Assert.Equal(rows + (2L * 4096 * 8), c.GetStats().Memory!.Rows);
        c.Upsert(new Record(10_000) { ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) });
        long withExpiry = c.GetStats().Memory!.Rows;
        Assert.InRange(withExpiry, rows + (3L * 4096 * 8), rows + (3L * 4096 * 8) + 64); // the row's own metadata is in allocated chunks already
    }

    [Fact]
    public void The_default_namespace_gets_its_row_list_when_a_second_namespace_appears()
    {
        using Database db = _temp.Open(new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled });
        Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        c.UpsertMany(Enumerable.Range(0, 10_000).Select(i => new Record(i)));
        long lone = c.GetStats().Memory!.Rows;

        // The default namespace's list now holds its 10,000 rows in chunks of 4, 8, ... 8,192 ids (16,380 in all); the
        // new namespace's list one row in a chunk of 4; the namespace column one chunk of 4,096 ids, where the new row
        // is (row 10,000); plus array headers and directories.
        c.Upsert(new Record(1) { Namespace = "t" });
        long listed = c.GetStats().Memory!.Rows;
        long added = ((16_380L + 4) * 4) + (4096L * 4);
        Assert.InRange(listed - lone, added, added + 1024);
    }

    [Fact]
    public void Payload_indexes_are_counted_and_grow_with_their_values()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        c.CreatePayloadIndex("tag", PayloadIndexKind.Keyword);
        c.CreatePayloadIndex("n", PayloadIndexKind.Numeric);
        c.UpsertMany(Enumerable.Range(0, 100).Select(i => new Record(i) { Payload = Payload(i, "t" + (i % 10)) }));
        MemoryStats small = c.GetStats().Memory!;
        // 100 numbers (8 + 4 bytes) and 100 keyword postings (4 bytes) at the very least.
        Assert.True(small.PayloadIndexes >= (100 * 12) + (100 * 4), $"{small.PayloadIndexes} bytes");
        Assert.Equal((0L, 0L), (small.Vectors, small.Graphs));

        c.UpsertMany(Enumerable.Range(100, 5_000).Select(i => new Record(i) { Payload = Payload(i, "t" + i) }));
        MemoryStats large = c.GetStats().Memory!;
        Assert.True(large.PayloadIndexes >= small.PayloadIndexes + (5_000L * (12 + 4 + 10)), $"{small.PayloadIndexes} -> {large.PayloadIndexes} bytes");
    }
}
