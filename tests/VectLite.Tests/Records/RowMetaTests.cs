using System.Runtime.CompilerServices;
using VectLite.Records;

namespace VectLite.Tests.Records;

/// <summary>
/// The per-row metadata's size (32 bytes, every row pays it) and the columns that took the namespace, the previous row
/// and the "shares vectors" flag out of it: values read back through the state, memory only where a row has one.
/// </summary>
public sealed class RowMetaTests
{
    [Fact]
    public void A_row_is_32_bytes()
    {
        // The id 16 + the payload element 16. The namespace and the previous row (4 + 4) made it 40; they are in
        // columns that hold chunks only where rows have other values than the default.
        Assert.Equal(32, Unsafe.SizeOf<RowMeta>());
    }

    [Fact]
    public void Namespace_previous_row_and_shared_vectors_read_back_per_row()
    {
        // Rows, in order: 0 key 1 (default), 1 key 2 in "t", 2 key 1 again (replaces row 0: its own vectors), 3 key 1's
        // payload update (replaces row 2, shares its vectors), 4 key 2 in "t" again (replaces row 1).
        using var temp = new VectLite.Tests.Engine.TempDatabase();
        using Database db = temp.Open();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        c.Upsert(new Record(1, new float[] { 1, 0 }));
        c.Upsert(new Record(2, new float[] { 2, 0 }) { Namespace = "t" });
        c.Upsert(new Record(1, new float[] { 3, 0 }));
        c.UpdatePayload(1UL, new System.Text.Json.Nodes.JsonObject { ["a"] = 1 });
        c.Upsert(new Record(2, new float[] { 4, 0 }) { Namespace = "t" });
        CollectionState state = c.Engine.StateForTests;
        int t = state.Namespaces.Find("t");
        Assert.Equal(1, t);
        Assert.Equal(new[] { 0, t, 0, 0, t }, Enumerable.Range(0, 5).Select(state.NamespaceOf));
        Assert.Equal(new[] { -1, -1, 0, 2, 1 }, Enumerable.Range(0, 5).Select(state.PreviousRow));
        Assert.Equal(new[] { false, false, false, true, false }, Enumerable.Range(0, 5).Select(state.SharesVectorsWithPrevious));
        Assert.Equal(new ulong[] { 1, 2, 1, 1, 2 }, Enumerable.Range(0, 5).Select(row => state.Row(row).Id.AsNumber));
    }

    [Fact]
    public void A_compacted_state_of_default_namespace_rows_holds_no_namespace_or_previous_row_chunk()
    {
        // 5,000 rows, 1,000 of them replaced (previous rows set in the two chunks they fall in), then compacted: the fresh
        // state's rows replace nothing and are all in the default namespace, so its rows cost their 32 bytes in chunks of
        // 4,096 rows (2 chunks), the key table (8,192 slots of 4 bytes) and the empty columns' directories, no more.
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.MetadataOnly());
        c.UpsertMany(Enumerable.Range(0, 5_000).Select(i => new Record(i)));
        c.UpsertMany(Enumerable.Range(0, 1_000).Select(i => new Record(i)));
        long before = c.GetStats().Memory!.Rows;
        c.Compact();
        long after = c.GetStats().Memory!.Rows;
        long expected = (2L * 4096 * 32) + (8_192L * 4);
        Assert.InRange(after, expected, expected + 256);
        Assert.True(before > after + (2L * 4096 * 4), $"{before} bytes before the compaction, {after} after");
    }
}
