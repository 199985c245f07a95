namespace VectLite.Records;

/// <summary>
/// An append-only array in fixed chunks of 4,096 elements, for per-row data that readers scan while the writer appends.
/// </summary>
/// <remarks>
/// Growing allocates the chunks the new count needs (only those: a list of 66,000 rows holds 17 chunks, not the 32 a
/// doubling would) and, when the chunk directory is full, publishes a directory twice as long. Existing chunks never
/// move, so a reader that read the old directory still reads valid memory. Only the writer calls
/// <see cref="EnsureCapacity"/> and writes; a reader only touches indexes below a row count the writer published after
/// writing them.
/// </remarks>
internal sealed class ChunkedList<T>
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    /// <summary>The chunk directory: the first <see cref="_allocated"/> entries hold chunks, the rest are null.</summary>
    private T[][] _chunks = [];
    private int _allocated;

    /// <summary>Elements the allocated chunks hold.</summary>
    public int Capacity => Volatile.Read(ref _allocated) * ChunkSize;

    /// <summary>The element at <paramref name="index"/>, by reference (the writer assigns through it).</summary>
    public ref T this[int index] => ref Volatile.Read(ref _chunks)[index >> ChunkShift][index & ChunkMask];

    /// <summary>Allocates chunks until <paramref name="count"/> elements fit. Writer only.</summary>
    public void EnsureCapacity(int count)
    {
        int needed = (int)(((long)count + ChunkMask) >> ChunkShift);
        if (needed <= _allocated)
        {
            return;
        }
        T[][] chunks = _chunks;
        if (needed > chunks.Length)
        {
            var grown = new T[Math.Max(needed, chunks.Length * 2)][];
            Array.Copy(chunks, grown, _allocated);
            chunks = grown;
        }
        for (int i = _allocated; i < needed; i++)
        {
            chunks[i] = new T[ChunkSize]; // a slot beyond the published count: no reader looks at it yet
        }
        Volatile.Write(ref _chunks, chunks); // release: a reader that sees the directory sees its chunks
        Volatile.Write(ref _allocated, needed);
    }
}
