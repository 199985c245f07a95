namespace VectLite.Indexing.Sparse;

/// <summary>
/// The postings of one term of a sparse vector space: the rows holding the term, ascending, each with its weight, and
/// bounds on those weights. Appended by the writer, read by many searches at once.
/// </summary>
/// <remarks>
/// <para>How it works:</para>
/// <list type="bullet">
/// <item>Rows and weights sit in two flat arrays held by one <see cref="Block"/>, so a search seeks with a binary search
/// over contiguous memory. The writer stores entry n, then publishes the count n + 1 (release); a reader reads the count
/// first (acquire), then the block, so every entry below the count it read is written.</item>
/// <item>A full block is replaced by one twice as large holding a copy; the block is published before any count that
/// needs it. A reader holding the old block keeps reading valid, unchanging memory (managed arrays: the collector frees
/// it when the last reader lets go), which is why this copy does not break the rule that appends never move memory a
/// reader may be reading: nothing the reader holds is moved or written.</item>
/// <item>Rows arrive in increasing order (the writer appends rows), so each list is sorted. Deleted rows stay until a
/// checkpoint compacts the state; searches test visibility, and the bounds stay valid (they only get looser).</item>
/// </list>
/// </remarks>
internal sealed class SparsePostings
{
    private const int FirstCapacity = 4;

    private Block _block = new(FirstCapacity);
    private int _count;
    private float _maxWeight = float.NegativeInfinity;
    private float _minWeight = float.PositiveInfinity;

    /// <summary>The rows and weights; entries below the published count are final.</summary>
    internal sealed class Block(int capacity)
    {
        public readonly int[] Rows = new int[capacity];
        public readonly float[] Weights = new float[capacity];
    }

    /// <summary>Published entries (acquire).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>The block to read entries below a count read before it.</summary>
    public Block Entries => Volatile.Read(ref _block);

    /// <summary>The largest weight ever added (deleted rows included): an upper bound for every live row's weight.</summary>
    public float MaxWeight => Volatile.Read(ref _maxWeight);

    /// <summary>The smallest weight ever added: a lower bound, which bounds the score of a negative query weight.</summary>
    public float MinWeight => Volatile.Read(ref _minWeight);

    /// <summary>Live rows (not deleted) holding the term: the document frequency of <see cref="SparseModifier.Idf"/>. Writer-maintained.</summary>
    public int LiveRows => Volatile.Read(ref _liveRows);

    private int _liveRows;

    /// <summary>Bytes held by the arrays (capacity, not count).</summary>
    public long MemoryBytes => 48 + ((long)Volatile.Read(ref _block).Rows.Length * (sizeof(int) + sizeof(float)));

    /// <summary>Appends a row. Writer only; rows must increase.</summary>
    public void Add(int row, float weight)
    {
        Block block = _block;
        int n = _count;
        System.Diagnostics.Debug.Assert(n == 0 || block.Rows[n - 1] < row, $"sparse postings must grow in row order: {row} after {block.Rows[n - 1]}");
        if (n == block.Rows.Length)
        {
            var grown = new Block(n * 2);
            Array.Copy(block.Rows, grown.Rows, n);
            Array.Copy(block.Weights, grown.Weights, n);
            block = grown;
        }
        block.Rows[n] = row;
        block.Weights[n] = weight;
        if (weight > _maxWeight)
        {
            Volatile.Write(ref _maxWeight, weight);
        }
        if (weight < _minWeight)
        {
            Volatile.Write(ref _minWeight, weight);
        }
        Volatile.Write(ref _block, block);
        Volatile.Write(ref _count, n + 1);
        Volatile.Write(ref _liveRows, _liveRows + 1);
    }

    /// <summary>A row holding the term was deleted (or replaced). Writer only.</summary>
    public void RowDeleted() => Volatile.Write(ref _liveRows, _liveRows - 1);
}
