namespace VectLite.Filtering;

/// <summary>
/// The row sets of filters that searches repeat (one category, one price range, over and over), kept so a repeated
/// search skips building its set from the payload indexes: at 10% of 60,000 rows that build writes 6,000 bits and was
/// the largest cost of a filtered search outside the graph walk. The same for the namespaces (tenants) searches repeat:
/// <see cref="Records.CollectionState.NamespaceSets"/> keys its sets by the namespace's row list.
/// </summary>
/// <remarks>
/// <para><b>Why a set stays right.</b> A set is kept for one filter, one row limit (the snapshot's row count) and one
/// generation of the index definitions (the owner, <see cref="PayloadIndexSet"/>, keeps one cache per generation and
/// starts an empty one when an index is defined or removed). Rows below the limit never change in the indexes: rows are
/// added once, in increasing order, and never removed (an update or delete writes or tombstones rows, and the search
/// tests liveness itself). So the set an index built for (filter, limit) is the set it would build again. A write
/// raises the row count, and the next search builds (and may keep) a new set.</para>
/// <para><b>What it costs.</b> A set is kept on its filter's second miss at the same row limit (a filter searched once
/// costs nothing more), taken over from the search that built it, so the thread's pool allocates a replacement once. At
/// most <see cref="MaxEntries"/> sets and <see cref="MaxBytes"/> bytes; a new set replaces the oldest. A kept set is
/// shared and read-only: searches never change it or give it back to a pool, and a replaced one is freed by the garbage
/// collector once no search still reads it.</para>
/// <para><b>Threads.</b> Any number of searches read and offer at once, without locks: each slot is published whole with
/// a volatile write; two racing offers may both be kept, or one may overwrite the other, which only costs a rebuild.</para>
/// </remarks>
internal sealed class RowSetCache
{
    /// <summary>The most sets kept.</summary>
    internal const int MaxEntries = 16;

    /// <summary>The most bytes of sets kept (the entries shrink for very large collections: one set is a bit per row).</summary>
    internal const long MaxBytes = 32L << 20;

    /// <summary>Recent misses remembered, to keep a set on its filter's second miss only (a power of two).</summary>
    private const int RecentMisses = 32;

    private readonly Entry?[] _entries = new Entry?[MaxEntries];
    private readonly long[] _recent = CreateRecent();
    private int _nextEntry = -1;
    private int _nextRecent = -1;

    /// <summary>
    /// For tests: sets handed out by any cache to searches on this thread. Per thread, and not atomic: a counter every
    /// search wrote in one shared place would bounce its cache line between the cores of concurrent searches.
    /// </summary>
    [ThreadStatic]
    internal static long HitsOnThisThreadForTests;

    private static long[] CreateRecent()
    {
        var recent = new long[RecentMisses];
        recent.AsSpan().Fill(-1); // no key is -1: a row limit is never uint.MaxValue
        return recent;
    }

    /// <summary>
    /// The kept set of <paramref name="key"/> at <paramref name="rowLimit"/>, or false. The set is shared: read it, never
    /// change it or give it back.
    /// </summary>
    /// <param name="key">A <see cref="Filter"/> (found by an equal one: filters compare by value), or a namespace's row list (by reference).</param>
    /// <param name="rowLimit">The snapshot's row count.</param>
    /// <param name="rows">The kept set, or null.</param>
    /// <param name="exact">Whether it holds only rows that match (no payload needs evaluating).</param>
    public bool TryGet(object key, int rowLimit, out RowBitset? rows, out bool exact)
    {
        int hash = key.GetHashCode();
        foreach (ref Entry? slot in _entries.AsSpan())
        {
            Entry? entry = Volatile.Read(ref slot);
            if (entry is not null && entry.Hash == hash && entry.RowLimit == rowLimit && entry.Key.Equals(key))
            {
                HitsOnThisThreadForTests++;
                rows = entry.Rows;
                exact = entry.Exact;
                return true;
            }
        }

        rows = null;
        exact = false;
        return false;
    }

    /// <summary>
    /// Offers the set a search just built for <paramref name="key"/> at <paramref name="rowLimit"/> (a miss). Returns
    /// true when the cache kept it: the caller no longer owns it and must treat it as shared from now on.
    /// </summary>
    public bool Offer(object key, int rowLimit, RowBitset rows, bool exact)
    {
        if (!NoteMiss(key, rowLimit))
        {
            return false;
        }

        long bytes = Math.Max(1, (long)rows.WordCount * sizeof(ulong));
        int capacity = (int)Math.Min(MaxEntries, MaxBytes / bytes);
        if (capacity == 0)
        {
            return false;
        }

        rows.Seal(); // before it is published: from here on it is shared, read only
        int slot = (int)((uint)Interlocked.Increment(ref _nextEntry) % (uint)capacity);
        Volatile.Write(ref _entries[slot], new Entry(key, key.GetHashCode(), rowLimit, rows, exact));

        // Sets only grow in one cache (a row limit only rises until a compaction starts another), so the capacity only
        // shrinks: the slots past it hold older, smaller sets the byte budget no longer has room for.
        for (int i = capacity; i < MaxEntries; i++)
        {
            Volatile.Write(ref _entries[i], null);
        }
        return true;
    }

    /// <summary>
    /// Records a miss of <paramref name="key"/> at <paramref name="rowLimit"/> and returns true when one was recorded
    /// before (among the last <see cref="RecentMisses"/>): the miss on which <see cref="Offer"/> keeps a set. A search
    /// that would not build a set (a filter most rows pass, tested per visited row) asks first, and builds one to offer
    /// only when its filter repeats.
    /// </summary>
    public bool NoteMiss(object key, int rowLimit)
    {
        long recentKey = ((long)key.GetHashCode() << 32) | (uint)rowLimit;
        foreach (ref long recent in _recent.AsSpan())
        {
            if (Volatile.Read(ref recent) == recentKey)
            {
                return true;
            }
        }

        int at = Interlocked.Increment(ref _nextRecent) & (RecentMisses - 1);
        Volatile.Write(ref _recent[at], recentKey);
        return false;
    }

    /// <summary>For tests that plan one filter again and again and must see its first miss each time: forgets every set and miss.</summary>
    internal void ClearForTests()
    {
        _entries.AsSpan().Clear();
        _recent.AsSpan().Fill(-1);
    }

    private sealed record Entry(object Key, int Hash, int RowLimit, RowBitset Rows, bool Exact);
}
