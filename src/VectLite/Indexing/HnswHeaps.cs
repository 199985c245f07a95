using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VectLite.Indexing;

/// <summary>A graph node with its score against the current query; higher is better.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ScoredNode
{
    /// <summary>The score against the query (higher is better, as <c>IVectorScorer</c> defines).</summary>
    internal float Score;

    /// <summary>The node id.</summary>
    internal int Node;

    internal ScoredNode(float score, int node)
    {
        Score = score;
        Node = node;
    }
}

/// <summary>
/// The candidates of a graph search: a binary max-heap on score (the best unexpanded node on top) over
/// one array that grows when needed and is reused across searches.
/// </summary>
/// <remarks>
/// <para>Thread safety: none; a heap belongs to one <see cref="HnswSearchContext"/> at a time.</para>
/// <para><see cref="Push"/> and <see cref="Pop"/> (here and in <see cref="ResultHeap"/>) are compiled fully optimised on
/// first call: the layer search calls them, is itself compiled that way at once (it holds a stackalloc), and would
/// otherwise call their unoptimised first code for the start of a graph build (see <c>VectorKernels</c>).</para>
/// </remarks>
internal sealed class CandidateHeap
{
    private ScoredNode[] _items = new ScoredNode[256];
    private int _count;

    /// <summary>The number of nodes held.</summary>
    internal int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _count;
    }

    /// <summary>The best node; the heap must not be empty.</summary>
    internal ScoredNode Top
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => MemoryMarshal.GetArrayDataReference(_items);
    }

    /// <summary>Empties the heap.</summary>
    internal void Clear() => _count = 0;

    /// <summary>Adds a node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Push(float score, int node)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        ref ScoredNode items = ref MemoryMarshal.GetArrayDataReference(_items);
        int index = _count++;
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            ScoredNode p = Unsafe.Add(ref items, parent);
            if (p.Score >= score)
            {
                break;
            }

            Unsafe.Add(ref items, index) = p;
            index = parent;
        }

        Unsafe.Add(ref items, index) = new ScoredNode(score, node);
    }

    /// <summary>Removes the best node; the heap must not be empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Pop()
    {
        int count = --_count;
        ref ScoredNode items = ref MemoryMarshal.GetArrayDataReference(_items);
        ScoredNode last = Unsafe.Add(ref items, count);
        int index = 0;
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= count)
            {
                break;
            }

            // Follow the better child: it must become the parent.
            if (child + 1 < count && Unsafe.Add(ref items, child + 1).Score > Unsafe.Add(ref items, child).Score)
            {
                child++;
            }

            ScoredNode c = Unsafe.Add(ref items, child);
            if (last.Score >= c.Score)
            {
                break;
            }

            Unsafe.Add(ref items, index) = c;
            index = child;
        }

        Unsafe.Add(ref items, index) = last;
    }
}

/// <summary>
/// The results of a graph search: a binary min-heap on score (the worst kept node on top), so the
/// search compares a new node with the root and drops the root once more than ef are held.
/// </summary>
/// <remarks>Thread safety: none; a heap belongs to one <see cref="HnswSearchContext"/> at a time.</remarks>
internal sealed class ResultHeap
{
    private ScoredNode[] _items = new ScoredNode[256];
    private int _count;

    /// <summary>The number of nodes held.</summary>
    internal int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _count;
    }

    /// <summary>The worst node's score; the heap must not be empty.</summary>
    internal float WorstScore
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => MemoryMarshal.GetArrayDataReference(_items).Score;
    }

    /// <summary>The nodes held, in heap order (not sorted).</summary>
    internal ReadOnlySpan<ScoredNode> Items => new(_items, 0, _count);

    /// <summary>Empties the heap.</summary>
    internal void Clear() => _count = 0;

    /// <summary>Adds a node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Push(float score, int node)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        ref ScoredNode items = ref MemoryMarshal.GetArrayDataReference(_items);
        int index = _count++;
        while (index > 0)
        {
            int parent = (index - 1) >> 1;
            ScoredNode p = Unsafe.Add(ref items, parent);
            if (p.Score <= score)
            {
                break;
            }

            Unsafe.Add(ref items, index) = p;
            index = parent;
        }

        Unsafe.Add(ref items, index) = new ScoredNode(score, node);
    }

    /// <summary>Removes the worst node; the heap must not be empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Pop()
    {
        int count = --_count;
        ref ScoredNode items = ref MemoryMarshal.GetArrayDataReference(_items);
        ScoredNode last = Unsafe.Add(ref items, count);
        int index = 0;
        while (true)
        {
            int child = (2 * index) + 1;
            if (child >= count)
            {
                break;
            }

            // Follow the worse child: it must become the parent.
            if (child + 1 < count && Unsafe.Add(ref items, child + 1).Score < Unsafe.Add(ref items, child).Score)
            {
                child++;
            }

            ScoredNode c = Unsafe.Add(ref items, child);
            if (last.Score <= c.Score)
            {
                break;
            }

            Unsafe.Add(ref items, index) = c;
            index = child;
        }

        Unsafe.Add(ref items, index) = last;
    }

    /// <summary>
    /// Moves every node into <paramref name="destination"/> best first and leaves the heap empty; returns
    /// how many. <paramref name="destination"/> must hold <see cref="Count"/> nodes.
    /// </summary>
    internal int DrainBestFirst(Span<ScoredNode> destination)
    {
        int count = _count;
        for (int i = count - 1; i >= 0; i--)
        {
            // The root is the worst left: fill from the back.
            destination[i] = _items[0];
            Pop();
        }

        return count;
    }
}
