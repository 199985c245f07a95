using VectLite.Quantization;

namespace VectLite.Tests.Quantization;

/// <summary>
/// <see cref="CodeStore"/>: rows read back exactly as written, and the store holds only the chunks its rows need, with a
/// last chunk of the exact rows after a <see cref="CodeStore.Reserve"/>. Codes of 40,000 bytes make chunks of 16 rows
/// (1 MiB / 40,000 = 26, rounded down to a power of two), so a few dozen rows span several chunks.
/// </summary>
public sealed class CodeStoreTests
{
    private const int CodeBytes = 40_000;

    /// <summary>Fills row <paramref name="row"/>'s code with a byte pattern of its own.</summary>
    private static void Fill(CodeStore store, int row)
    {
        Span<byte> code = store.Write(row);
        for (int i = 0; i < code.Length; i++)
        {
            code[i] = (byte)(row + (i * 7));
        }
    }

    private static void AssertRow(CodeStore.View view, int row)
    {
        ReadOnlySpan<byte> code = view.Get(row);
        Assert.Equal(CodeBytes, code.Length);
        for (int i = 0; i < code.Length; i += 997)
        {
            Assert.Equal((byte)(row + (i * 7)), code[i]);
        }
        Assert.Equal((byte)(row + ((CodeBytes - 1) * 7)), code[^1]);
    }

    [Fact]
    public void A_view_taken_before_the_store_grew_reads_the_rows_written_after_it()
    {
        // A search takes its code view before its graph view, so its walk can reach a node whose row was written in
        // between: in a chunk its directory does not have (the directory doubled), in a slot it has empty, or past the
        // end of a short last chunk that has since been widened.
        var store = new CodeStore(CodeBytes);
        store.Reserve(20); // 16 + a short chunk of 4
        for (int row = 0; row < 20; row++)
        {
            Fill(store, row);
        }
        CodeStore.View early = store.GetView();
        for (int row = 20; row < 70; row++) // widens chunk 1, then adds chunks 2-4 (the directory grows)
        {
            Fill(store, row);
        }
        for (int row = 0; row < 70; row++)
        {
            AssertRow(early, row);
            early.Prefetch(row); // must not throw either
        }
    }

    [Fact]
    public void Chunks_hold_16_rows_of_40000_bytes() => Assert.Equal(16, new CodeStore(CodeBytes).RowsPerChunk);

    [Fact]
    public void Reserve_gives_the_last_chunk_exactly_the_rows_left()
    {
        var store = new CodeStore(CodeBytes);
        store.Reserve(37); // 16 + 16 + 5
        Assert.Equal(37L * 40_000, store.MemoryBytes);
        for (int row = 0; row < 37; row++)
        {
            Fill(store, row);
        }
        Assert.Equal(37L * 40_000, store.MemoryBytes); // writing the reserved rows allocates nothing more
        CodeStore.View view = store.GetView();
        for (int row = 0; row < 37; row++)
        {
            AssertRow(view, row);
        }
    }

    [Fact]
    public void Reserve_of_whole_chunks_leaves_no_short_chunk_and_a_second_reserve_changes_nothing()
    {
        var store = new CodeStore(CodeBytes);
        store.Reserve(32);
        Assert.Equal(32L * 40_000, store.MemoryBytes);
        store.Reserve(100);
        Assert.Equal(32L * 40_000, store.MemoryBytes);
        Fill(store, 32); // a third, whole chunk
        Assert.Equal(48L * 40_000, store.MemoryBytes);
    }

    [Fact]
    public void A_row_past_a_short_chunk_widens_it_and_a_view_taken_before_still_reads_its_rows()
    {
        var store = new CodeStore(CodeBytes);
        store.Reserve(20); // a whole chunk of 16 and a short one of 4
        for (int row = 0; row < 20; row++)
        {
            Fill(store, row);
        }
        CodeStore.View before = store.GetView();

        Fill(store, 20); // the short chunk becomes whole: its 4 rows are copied first
        Assert.Equal(32L * 40_000, store.MemoryBytes);
        CodeStore.View after = store.GetView();
        for (int row = 0; row < 20; row++)
        {
            AssertRow(before, row);
            AssertRow(after, row);
        }
        AssertRow(after, 20);

        Fill(store, 40); // chunk 2, skipping rows 21..39 (never read)
        Assert.Equal(48L * 40_000, store.MemoryBytes);
        AssertRow(store.GetView(), 40);
        AssertRow(store.GetView(), 19);
    }

    [Fact]
    public void Growth_row_by_row_allocates_only_the_chunks_the_rows_need()
    {
        // SQ8 codes of 384 dimensions: 388 bytes, 2,048 rows a chunk. 59,247 rows need 29 chunks; the directory doubles
        // to 32 slots, and before this store allocated a chunk for each slot (32 chunks, 10% more).
        var store = new CodeStore(388);
        for (int row = 0; row < 59_247; row++)
        {
            store.Write(row)[0] = (byte)row;
        }
        Assert.Equal(29L * 2048 * 388, store.MemoryBytes);
        CodeStore.View view = store.GetView();
        Assert.Equal(unchecked((byte)59_246), view.Get(59_246)[0]);
        Assert.Equal(unchecked((byte)4_095), view.Get(4_095)[0]);
    }

    [Fact]
    public void WriteRun_spans_the_rows_to_the_end_of_their_chunk()
    {
        var store = new CodeStore(CodeBytes);
        store.Reserve(37);
        Assert.Equal(16 * CodeBytes, store.WriteRun(0, 37).Length);
        Assert.Equal(11 * CodeBytes, store.WriteRun(5, 32).Length); // rows 5..15
        Assert.Equal(5 * CodeBytes, store.WriteRun(32, 5).Length);
        Assert.Equal(2 * CodeBytes, store.WriteRun(32, 2).Length);

        Span<byte> run = store.WriteRun(16, 21);
        run.Fill(9);
        Assert.Equal(9, store.GetView().Get(31)[CodeBytes - 1]);
        Assert.Equal(0, store.GetView().Get(32)[0]);
    }
}
