namespace VectLite.Records;

/// <summary>
/// A 64-bit value per row that most rows leave at a default (a deletion mark: live; an expiry: never), in chunks of
/// 4,096 rows that are allocated only when a row in them first takes another value. A chunk never set costs nothing and
/// reads as the default: a state just loaded or compacted, where every row is live, holds no deletion marks at all.
/// </summary>
/// <remarks>
/// One writer, any number of readers, no locks. The writer fills a new chunk with the default, stores the value, and
/// only then publishes the chunk in its directory slot (a release write); a reader reads the slot with an acquire read,
/// so it sees null (every row at the default) or a filled chunk. The directory grows by copying its slots into a
/// longer one, published the same way; a set after that goes to the directory it published, which a reader whose
/// snapshot covers the set reads (the snapshot is published after the set, and the reader reads the directory after
/// the snapshot). A reader that read an older directory reads rows its snapshot predates only.
/// </remarks>
internal sealed class SparseRowColumn(long defaultValue)
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private long[]?[] _chunks = [];

    /// <summary>The value of rows never set.</summary>
    public long Default { get; } = defaultValue;

    /// <summary>Row <paramref name="row"/>'s value (an acquire read). The row must be below the capacity ensured.</summary>
    public long this[int row]
    {
        get
        {
            long[]? chunk = Volatile.Read(ref Volatile.Read(ref _chunks)[row >> ChunkShift]);
            return chunk is null ? Default : Volatile.Read(ref chunk[row & ChunkMask]);
        }
    }

    /// <summary>Bytes held: the chunks allocated and the directory.</summary>
    public long MemoryBytes
    {
        get
        {
            long[]?[] chunks = Volatile.Read(ref _chunks);
            long bytes = (long)chunks.Length * IntPtr.Size;
            foreach (long[]? chunk in chunks)
            {
                bytes += chunk is null ? 0 : (long)ChunkSize * sizeof(long);
            }
            return bytes;
        }
    }

    /// <summary>Makes room in the directory for <paramref name="rows"/> rows (no chunk is allocated). Writer only.</summary>
    public void EnsureCapacity(int rows)
    {
        int needed = (int)(((long)rows + ChunkMask) >> ChunkShift);
        long[]?[] chunks = _chunks;
        if (needed <= chunks.Length)
        {
            return;
        }
        var grown = new long[]?[Math.Max(needed, chunks.Length * 2)];
        Array.Copy(chunks, grown, chunks.Length);
        Volatile.Write(ref _chunks, grown);
    }

    /// <summary>Sets row <paramref name="row"/>'s value (a release write). Writer only.</summary>
    public void Set(int row, long value)
    {
        long[]?[] chunks = _chunks;
        ref long[]? slot = ref chunks[row >> ChunkShift];
        if (slot is { } chunk)
        {
            Volatile.Write(ref chunk[row & ChunkMask], value);
            return;
        }
        if (value == Default)
        {
            return; // a chunk not allocated reads as the default already
        }
        chunk = new long[ChunkSize];
        if (Default != 0)
        {
            Array.Fill(chunk, Default);
        }
        chunk[row & ChunkMask] = value;
        Volatile.Write(ref slot, chunk); // release: a reader that sees the chunk sees it filled
    }
}
