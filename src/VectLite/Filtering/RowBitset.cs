using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VectLite.Filtering;

/// <summary>
/// A set of row ids below a fixed row count, one bit per row: what a query builds once from the payload indexes (or a
/// namespace's rows) so a graph walk or a scan tests membership in O(1) per row, with no JSON and no sorting.
/// </summary>
/// <remarks>
/// <para>Sized to the snapshot's row count: 60,000 rows are 7.5 KB, which stays in L1/L2 while a query runs. Rented
/// from <see cref="Rent"/> and given back with <see cref="Return"/>, so a query allocates nothing once the pool is warm.</para>
/// <para>Thread safety: none; one set belongs to one query.</para>
/// </remarks>
internal sealed class RowBitset
{
    [ThreadStatic]
    private static RowBitset?[]? t_pool;

    private ulong[] _words = [];
    private int _rowCount;

    /// <summary>The members of a sealed set (<see cref="Seal"/>), -1 while the set may still change.</summary>
    private int _sealedCount = -1;

    /// <summary>Rows [0, RowCount) may be members; anything at or above is never one.</summary>
    public int RowCount => _rowCount;

    /// <summary>The words in use: <c>ceil(RowCount / 64)</c>.</summary>
    public int WordCount => (_rowCount + 63) >> 6;

    /// <summary>The bits, row <c>r</c> at bit <c>r % 64</c> of word <c>r / 64</c>; for scans that walk the set bits.</summary>
    public ReadOnlySpan<ulong> Words => _words.AsSpan(0, WordCount);

    /// <summary>Takes an empty set over <paramref name="rowCount"/> rows from this thread's pool (or makes one).</summary>
    public static RowBitset Rent(int rowCount)
    {
        RowBitset?[] pool = t_pool ??= new RowBitset?[4];
        RowBitset? set = null;
        for (int i = 0; i < pool.Length; i++)
        {
            if (pool[i] is { } pooled)
            {
                set = pooled;
                pool[i] = null;
                break;
            }
        }

        set ??= new RowBitset();
        set.Reset(rowCount);
        return set;
    }

    /// <summary>Gives a set back to this thread's pool; the caller must not use it afterwards. Null is ignored.</summary>
    public static void Return(RowBitset? set)
    {
        if (set is null)
        {
            return;
        }

        RowBitset?[] pool = t_pool ??= new RowBitset?[4];
        for (int i = 0; i < pool.Length; i++)
        {
            if (pool[i] is null)
            {
                pool[i] = set;
                return;
            }
        }
    }

    /// <summary>Empties the set and sizes it to <paramref name="rowCount"/> rows.</summary>
    public void Reset(int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        int words = (rowCount + 63) >> 6;
        if (_words.Length < words)
        {
            _words = new ulong[Math.Max(words, _words.Length * 2)];
        }
        else
        {
            _words.AsSpan(0, words).Clear();
        }

        _rowCount = rowCount;
        _sealedCount = -1;
    }

    /// <summary>
    /// Declares the set final (a cache keeps it and searches share it, read only) and counts it once, so
    /// <see cref="Count"/> answers at once: a search's estimate reads the count of a kept set every time, and counting
    /// 60,000 rows' words was 5% of a search that scans 60 passing rows.
    /// </summary>
    public void Seal() => _sealedCount = CountBits();

    /// <summary>Whether <see cref="Seal"/> was called since the set was last reset.</summary>
    public bool IsSealed => _sealedCount >= 0;

    /// <summary>Adds <paramref name="row"/>, which must be below <see cref="RowCount"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int row)
    {
        System.Diagnostics.Debug.Assert((uint)row < (uint)_rowCount, $"Row {row} is outside the set's {_rowCount} rows.");
        System.Diagnostics.Debug.Assert(_sealedCount < 0, "A sealed set is shared: never changed.");
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_words), row >> 6) |= 1UL << row;
    }

    /// <summary>True when <paramref name="row"/> is a member; false for any row outside [0, RowCount).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(int row) =>
        (uint)row < (uint)_rowCount && (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_words), row >> 6) & (1UL << row)) != 0;

    /// <summary>Keeps only the rows <paramref name="other"/> also holds (over this set's rows).</summary>
    public void IntersectWith(RowBitset other)
    {
        System.Diagnostics.Debug.Assert(_sealedCount < 0, "A sealed set is shared: never changed.");
        Span<ulong> mine = _words.AsSpan(0, WordCount);
        ReadOnlySpan<ulong> theirs = other.Words;
        int shared = Math.Min(mine.Length, theirs.Length);
        for (int i = 0; i < shared; i++)
        {
            mine[i] &= theirs[i];
        }

        mine[shared..].Clear();
    }

    /// <summary>Adds the rows of <paramref name="other"/> that are below this set's <see cref="RowCount"/>.</summary>
    public void UnionWith(RowBitset other)
    {
        System.Diagnostics.Debug.Assert(_sealedCount < 0, "A sealed set is shared: never changed.");
        Span<ulong> mine = _words.AsSpan(0, WordCount);
        ReadOnlySpan<ulong> theirs = other.Words;
        int shared = Math.Min(mine.Length, theirs.Length);
        for (int i = 0; i < shared; i++)
        {
            mine[i] |= theirs[i];
        }

        int tail = _rowCount & 63;
        if (tail != 0 && shared == mine.Length)
        {
            mine[^1] &= (1UL << tail) - 1; // the other set may hold rows past this one's end in the last word
        }
    }

    /// <summary>The number of members.</summary>
    public int Count() => _sealedCount >= 0 ? _sealedCount : CountBits();

    private int CountBits()
    {
        int count = 0;
        foreach (ulong word in Words)
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }

    /// <summary>The member at or after <paramref name="row"/>, or -1 when there is none.</summary>
    public int NextAtOrAfter(int row)
    {
        if ((uint)row >= (uint)_rowCount)
        {
            return -1;
        }

        int w = row >> 6;
        ulong word = _words[w] & (ulong.MaxValue << row);
        int words = WordCount;
        while (word == 0)
        {
            if (++w == words)
            {
                return -1;
            }

            word = _words[w];
        }

        return (w << 6) + BitOperations.TrailingZeroCount(word);
    }
}
