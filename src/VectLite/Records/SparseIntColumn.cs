namespace VectLite.Records;

/// <summary>
/// A 32-bit value per row that most rows leave at a default (a namespace: the default one; a previous row: none), in
/// chunks of 4,096 rows allocated only when a row in them first takes another value: the <see cref="int"/> twin of
/// <see cref="SparseRowColumn"/>, with the same publication rules. A collection that never uses namespaces holds no
/// namespace chunk, and a state just loaded or compacted (no row replaces another) no previous-row chunk.
/// </summary>
/// <remarks>
/// One writer, any number of readers, no locks. The writer fills a new chunk with the default, stores the value, and
/// only then publishes the chunk in its directory slot (a release write); a reader reads the slot with an acquire read,
/// so it sees null (every row at the default) or a filled chunk. The directory grows by copying its slots into a
/// longer one, published the same way. A row's value is set before the row is published and never changes after, so a
/// reader (whose snapshot covers the row) reads the directory after the set and finds it.
/// </remarks>
internal sealed class SparseIntColumn(int defaultValue)
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private int[]?[] _chunks = [];

    /// <summary>The value of rows never set.</summary>
    public int Default { get; } = defaultValue;

    /// <summary>Row <paramref name="row"/>'s value (an acquire read). The row must be below the capacity ensured.</summary>
    public int this[int row]
    {
        get
        {
            int[]? chunk = Volatile.Read(ref Volatile.Read(ref _chunks)[row >> ChunkShift]);
            return chunk is null ? Default : Volatile.Read(ref chunk[row & ChunkMask]);
        }
    }

    /// <summary>Bytes held: the chunks allocated and the directory.</summary>
    public long MemoryBytes
    {
        get
        {
            int[]?[] chunks = Volatile.Read(ref _chunks);
            long bytes = (long)chunks.Length * IntPtr.Size;
            foreach (int[]? chunk in chunks)
            {
                bytes += chunk is null ? 0 : (long)ChunkSize * sizeof(int);
            }
            return bytes;
        }
    }

    /// <summary>Makes room in the directory for <paramref name="rows"/> rows (no chunk is allocated). Writer only.</summary>
    public void EnsureCapacity(int rows)
    {
        int needed = (int)(((long)rows + ChunkMask) >> ChunkShift);
        int[]?[] chunks = _chunks;
        if (needed <= chunks.Length)
        {
            return;
        }
        var grown = new int[]?[Math.Max(needed, chunks.Length * 2)];
        Array.Copy(chunks, grown, chunks.Length);
        Volatile.Write(ref _chunks, grown);
    }

    /// <summary>Sets row <paramref name="row"/>'s value (a release write). Writer only.</summary>
    public void Set(int row, int value)
    {
        int[]?[] chunks = _chunks;
        ref int[]? slot = ref chunks[row >> ChunkShift];
        if (slot is { } chunk)
        {
            Volatile.Write(ref chunk[row & ChunkMask], value);
            return;
        }
        if (value == Default)
        {
            return; // a chunk not allocated reads as the default already
        }
        chunk = new int[ChunkSize];
        if (Default != 0)
        {
            Array.Fill(chunk, Default);
        }
        chunk[row & ChunkMask] = value;
        Volatile.Write(ref slot, chunk); // release: a reader that sees the chunk sees it filled
    }
}
