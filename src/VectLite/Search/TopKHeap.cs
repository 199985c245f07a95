using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace VectLite.Search;

/// <summary>
/// Keeps the <c>k</c> best (score, row) pairs seen so far, where a higher score is better and, between
/// equal scores, the smaller row id is better, so results are deterministic whatever the visiting order.
/// </summary>
/// <remarks>
/// <para>
/// A bounded binary min-heap over one preallocated array: the root is the worst pair kept, so a
/// candidate is compared with the root and, if better, replaces it in O(log k). Nothing is allocated
/// after construction; <see cref="Clear"/> or <see cref="DrainDescending"/> make the heap reusable.
/// A search takes its heap from <see cref="ForThisThread"/>, so a warm search allocates none.
/// </para>
/// <para>NaN scores are ignored: they are not comparable, so they never enter.</para>
/// <para>Thread safety: none; one heap belongs to one query.</para>
/// </remarks>
internal sealed class TopKHeap
{
    [ThreadStatic]
    private static TopKHeap? t_cached;

    private (float Score, int Row)[] _entries;
    private int _k;
    private int _count;

    /// <summary>Creates an empty heap that keeps the best <paramref name="k"/> pairs.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    internal TopKHeap(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _entries = new (float Score, int Row)[k];
        _k = k;
    }

    /// <summary>The number of pairs the heap keeps at most.</summary>
    internal int K => _k;

    /// <summary>
    /// Returns this thread's reusable heap, emptied and set to keep the best <paramref name="k"/> pairs (its array grows
    /// when <paramref name="k"/> is larger than any before). The caller must drain or drop it before anything else on the
    /// thread asks for it again: one heap per thread, not per call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    internal static TopKHeap ForThisThread(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        TopKHeap? heap = t_cached;
        if (heap is null)
        {
            return t_cached = new TopKHeap(k);
        }

        if (heap._entries.Length < k)
        {
            heap._entries = new (float Score, int Row)[k];
        }

        heap._k = k;
        heap._count = 0;
        return heap;
    }

    /// <summary>The number of pairs kept now.</summary>
    internal int Count => _count;

    /// <summary>
    /// The k-th best score so far, or negative infinity while fewer than k pairs are kept. A candidate
    /// scoring below it cannot enter; one scoring equal enters only with a smaller row id than the
    /// worst kept pair of that score.
    /// </summary>
    internal float Threshold
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _count == _k ? _entries[0].Score : float.NegativeInfinity;
    }

    /// <summary>
    /// Offers a pair. While the heap is not full every non-NaN pair is kept; once full, the pair replaces
    /// the worst kept one if it is better, and is ignored otherwise.
    /// </summary>
    internal void Push(float score, int row)
    {
        (float Score, int Row)[] entries = _entries;
        if (_count < _k)
        {
            if (float.IsNaN(score))
            {
                return;
            }

            SiftUp(entries, _count++, score, row);
            return;
        }

        if (!IsBetter(score, row, entries[0].Score, entries[0].Row))
        {
            return;
        }

        SiftDown(entries, _count, score, row);
    }

    /// <summary>
    /// Writes the kept pairs best first into <paramref name="destination"/>, returns how many, and leaves
    /// the heap empty.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Count"/>.</exception>
    internal int DrainDescending(Span<(float Score, int Row)> destination)
    {
        int count = _count;
        if (destination.Length < count)
        {
            ThrowDestinationTooShort(destination.Length, count);
        }

        // Pop the worst pair each time and fill from the back: O(k log k), no extra buffer.
        (float Score, int Row)[] entries = _entries;
        for (int size = count; size > 0; size--)
        {
            destination[size - 1] = entries[0];
            (float Score, int Row) last = entries[size - 1];
            SiftDown(entries, size - 1, last.Score, last.Row);
        }

        _count = 0;
        return count;
    }

    /// <summary>Empties the heap so it can serve another query with the same k.</summary>
    internal void Clear() => _count = 0;

    /// <summary>True when (<paramref name="score"/>, <paramref name="row"/>) ranks before (<paramref name="otherScore"/>, <paramref name="otherRow"/>); false for a NaN score.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsBetter(float score, int row, float otherScore, int otherRow) =>
        score > otherScore || (score == otherScore && row < otherRow);

    /// <summary>Places (score, row) at the new leaf <paramref name="index"/> and moves it up above every better parent.</summary>
    private static void SiftUp((float Score, int Row)[] entries, int index, float score, int row)
    {
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            (float Score, int Row) p = entries[parent];

            // The root holds the worst pair: a parent must not be better than its children.
            if (!IsBetter(p.Score, p.Row, score, row))
            {
                break;
            }

            entries[index] = p;
            index = parent;
        }

        entries[index] = (score, row);
    }

    /// <summary>Places (score, row) at the root of a heap of <paramref name="size"/> pairs and moves it down below every worse child.</summary>
    private static void SiftDown((float Score, int Row)[] entries, int size, float score, int row)
    {
        if (size == 0)
        {
            return;
        }

        int index = 0;
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= size)
            {
                break;
            }

            // Follow the worse child: it must become the parent.
            if (child + 1 < size && IsBetter(entries[child].Score, entries[child].Row, entries[child + 1].Score, entries[child + 1].Row))
            {
                child++;
            }

            (float Score, int Row) c = entries[child];
            if (!IsBetter(score, row, c.Score, c.Row))
            {
                break;
            }

            entries[index] = c;
            index = child;
        }

        entries[index] = (score, row);
    }

    [DoesNotReturn]
    private static void ThrowDestinationTooShort(int length, int count) =>
        throw new ArgumentException($"The destination holds {length} pairs but the heap has {count}.", "destination");
}
