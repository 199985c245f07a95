namespace VectLite.Records;

/// <summary>
/// An append-only array in fixed chunks of 4,096 elements, for per-row data that readers scan while the writer appends.
/// </summary>
/// <remarks>
/// Growing allocates new chunks and publishes a longer chunk directory; existing chunks never move, so a reader that
/// read the old directory still reads valid memory. Only the writer calls <see cref="EnsureCapacity"/> and writes;
/// a reader only touches indexes below a row count the writer published after writing them.
/// </remarks>
internal sealed class ChunkedList<T>
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private T[][] _chunks = [];

    public int Capacity => Volatile.Read(ref _chunks).Length * ChunkSize;

    /// <summary>The element at <paramref name="index"/>, by reference (the writer assigns through it).</summary>
    public ref T this[int index] => ref Volatile.Read(ref _chunks)[index >> ChunkShift][index & ChunkMask];

    public void EnsureCapacity(int count)
    {
        T[][] chunks = _chunks;
        int needed = (count + ChunkMask) >> ChunkShift;
        if (needed <= chunks.Length)
        {
            return;
        }
        var grown = new T[Math.Max(needed, chunks.Length * 2)][];
        Array.Copy(chunks, grown, chunks.Length);
        for (int i = chunks.Length; i < grown.Length; i++)
        {
            grown[i] = new T[ChunkSize];
        }
        Volatile.Write(ref _chunks, grown);
    }
}
