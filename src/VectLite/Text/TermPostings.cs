namespace VectLite.Text;

/// <summary>
/// The postings of one term: the rows whose text holds it, ascending, each with its term frequency. Append-only, written
/// by the writer thread and read by many readers; also the term's live document frequency.
/// </summary>
/// <remarks>
/// How it works: rows and frequencies sit in one <see cref="Block"/>; when it is full the writer copies it into a block
/// twice the size and publishes that, then writes the new entry and only then publishes the count (volatile). A reader
/// reads the count first and the block after, so the block it gets holds every entry below that count (a copy is
/// complete before it is published, and an old block a reader still holds stays valid). Deleted rows stay in the list;
/// readers skip them by visibility, and <see cref="LiveDocs"/> no longer counts them. A checkpoint rebuilds the lists
/// without dead rows.
/// </remarks>
internal sealed class TermPostings
{
    private Block _block = new(4);
    private int _count;
    private int _liveDocs;
    private int _maxFrequency;

    /// <summary>Entries published (rows ever added, live or not).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Live documents that hold the term: the BM25 document frequency n.</summary>
    public int LiveDocs => Volatile.Read(ref _liveDocs);

    /// <summary>The highest term frequency ever added (an upper bound for pruning; it never decreases).</summary>
    public int MaxFrequency => Volatile.Read(ref _maxFrequency);

    /// <summary>Bytes the postings hold.</summary>
    public long MemoryBytes => 64 + (2L * Volatile.Read(ref _block).Rows.Length * sizeof(int));

    /// <summary>The published entries: a block and how many of its entries are valid. Any thread.</summary>
    public (int[] Rows, int[] Frequencies, int Count) Read()
    {
        int count = Volatile.Read(ref _count);
        Block block = Volatile.Read(ref _block);
        return (block.Rows, block.Frequencies, count);
    }

    /// <summary>Appends a live row with its frequency. Writer only; rows increase.</summary>
    public void Add(int row, int frequency)
    {
        Block block = _block;
        int count = _count;
        if (count == block.Rows.Length)
        {
            var grown = new Block(block.Rows.Length * 2);
            Array.Copy(block.Rows, grown.Rows, count);
            Array.Copy(block.Frequencies, grown.Frequencies, count);
            Volatile.Write(ref _block, grown);
            block = grown;
        }
        block.Rows[count] = row;
        block.Frequencies[count] = frequency;
        Volatile.Write(ref _count, count + 1);
        Volatile.Write(ref _liveDocs, _liveDocs + 1);
        if (frequency > _maxFrequency)
        {
            Volatile.Write(ref _maxFrequency, frequency);
        }
    }

    /// <summary>One live document holding the term was deleted. Writer only.</summary>
    public void RemoveLive() => Volatile.Write(ref _liveDocs, _liveDocs - 1);

    /// <summary>The frequency of <paramref name="row"/> among the first <paramref name="count"/> entries, or 0. Any thread.</summary>
    public static int FrequencyOf(int[] rows, int[] frequencies, int count, int row)
    {
        int at = Array.BinarySearch(rows, 0, count, row);
        return at >= 0 ? frequencies[at] : 0;
    }

    private sealed class Block(int capacity)
    {
        public int[] Rows { get; } = new int[capacity];

        public int[] Frequencies { get; } = new int[capacity];
    }
}
