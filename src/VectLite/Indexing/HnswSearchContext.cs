using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VectLite.Indexing;

/// <summary>
/// Everything one graph search or insert needs besides the graph: the visited set, the candidate and
/// result heaps, and scratch buffers for neighbour selection. Pooled, so a search allocates nothing.
/// </summary>
/// <remarks>
/// <para>
/// The visited set is an array of <see cref="ushort"/> epochs, as in hnswlib's visited_list_pool: node
/// <c>n</c> is visited when <c>visited[n] == epoch</c>. Starting a search bumps the epoch instead of
/// clearing the array; only when the epoch wraps to 0 (every 65,535 searches) is the array cleared.
/// Two bytes per node keep the array in L2 for graphs of a few hundred thousand nodes.
/// </para>
/// <para>Thread safety: none; a context is rented by one thread at a time from an <see cref="HnswContextPool"/>.</para>
/// </remarks>
internal sealed class HnswSearchContext
{
    private ushort[] _visited = [];
    private ushort _epoch;
    private ScoredNode[] _levelChoices = [];
    private float[] _decodeSlots = [];
    private float[] _unitQuery = [];

    /// <summary>The candidate heap (best unexpanded node on top).</summary>
    internal CandidateHeap Candidates { get; } = new();

    /// <summary>The result heap (worst kept node on top).</summary>
    internal ResultHeap Results { get; } = new();

    /// <summary>Scratch for neighbour selection: candidates best first.</summary>
    internal ScoredNode[] Sorted { get; private set; } = new ScoredNode[256];

    /// <summary>Scratch for neighbour selection: the neighbours chosen.</summary>
    internal ScoredNode[] Selected { get; private set; } = new ScoredNode[256];

    /// <summary>Scratch for neighbour selection: the vector address of each chosen neighbour.</summary>
    internal nint[] SelectedAddresses { get; private set; } = new nint[256];

    /// <summary>Scratch for neighbour selection: the scorer's factor of each chosen neighbour (<c>IGraphScorer.StoredFactor</c>).</summary>
    internal float[] SelectedFactors { get; private set; } = new float[256];

    /// <summary>
    /// Returns scratch for a unit-length copy of the vector an insert links (a cosine graph scores with a
    /// unit query; the arena holds the caller's vectors), <paramref name="dimension"/> floats.
    /// </summary>
    internal Span<float> UnitQuery(int dimension)
    {
        if (_unitQuery.Length < dimension)
        {
            _unitQuery = new float[dimension];
        }

        return _unitQuery.AsSpan(0, dimension);
    }

    /// <summary>
    /// Returns scratch for an insert's neighbour choices: <paramref name="levels"/> slices of
    /// <paramref name="m"/> nodes, level <c>l</c>'s at <c>l * m</c>.
    /// </summary>
    internal Span<ScoredNode> LevelChoices(int levels, int m)
    {
        int size = levels * m;
        if (_levelChoices.Length < size)
        {
            _levelChoices = new ScoredNode[Math.Max(size, 4 * m)];
        }

        return _levelChoices.AsSpan(0, size);
    }

    /// <summary>
    /// Starts a new visited set covering nodes below <paramref name="nodeLimit"/> and returns its epoch
    /// and array; a node is visited when its entry equals the epoch.
    /// </summary>
    internal ushort[] BeginVisit(int nodeLimit, out ushort epoch)
    {
        if (_visited.Length < nodeLimit)
        {
            // Grow with headroom so a growing graph does not reallocate on every search.
            _visited = new ushort[Math.Max(nodeLimit, (int)Math.Min(int.MaxValue, (long)_visited.Length * 2))];
            _epoch = 0;
        }

        _epoch++;
        if (_epoch == 0)
        {
            Array.Clear(_visited);
            _epoch = 1;
        }

        epoch = _epoch;
        return _visited;
    }

    /// <summary>
    /// Returns the address of pinned scratch for <paramref name="slots"/> vectors of <paramref name="dimension"/> floats:
    /// an insert on decoded vectors decodes the rows it compares there (pinned, because the neighbour choice keeps the
    /// addresses of the vectors it kept). Allocated on first use; only graphs built on decoded vectors use it.
    /// </summary>
    internal unsafe float* DecodeSlots(int dimension, int slots)
    {
        long length = (long)dimension * slots;
        if (_decodeSlots.Length < length)
        {
            _decodeSlots = GC.AllocateUninitializedArray<float>(checked((int)length), pinned: true);
        }

        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_decodeSlots));
    }

    /// <summary>Makes the scratch buffers hold at least <paramref name="length"/> nodes.</summary>
    internal void EnsureScratch(int length)
    {
        if (Sorted.Length < length)
        {
            int size = Math.Max(length, Sorted.Length * 2);
            Sorted = new ScoredNode[size];
            Selected = new ScoredNode[size];
            SelectedAddresses = new nint[size];
            SelectedFactors = new float[size];
        }
    }
}

/// <summary>
/// A small lock-free pool of <see cref="HnswSearchContext"/>: a fixed array of slots that renters empty
/// and returners fill with <see cref="Interlocked.Exchange{T}(ref T, T)"/>. When every slot is empty a new
/// context is created; when every slot is full a returned context is dropped for the GC.
/// </summary>
/// <remarks>Thread safety: any number of threads may rent and return at once.</remarks>
internal sealed class HnswContextPool
{
    private readonly HnswSearchContext?[] _slots = new HnswSearchContext?[Math.Max(4, Environment.ProcessorCount * 2)];

    /// <summary>Takes a context from the pool, or creates one.</summary>
    internal HnswSearchContext Rent()
    {
        HnswSearchContext?[] slots = _slots;
        int start = Start(slots.Length);
        for (int i = 0; i < slots.Length; i++)
        {
            ref HnswSearchContext? slot = ref slots[(start + i) % slots.Length];
            if (Volatile.Read(ref slot) is not null)
            {
                HnswSearchContext? context = Interlocked.Exchange(ref slot, null);
                if (context is not null)
                {
                    return context;
                }
            }
        }

        return new HnswSearchContext();
    }

    /// <summary>Gives a context back; the caller must not use it afterwards.</summary>
    internal void Return(HnswSearchContext context)
    {
        HnswSearchContext?[] slots = _slots;
        int start = Start(slots.Length);
        for (int i = 0; i < slots.Length; i++)
        {
            ref HnswSearchContext? slot = ref slots[(start + i) % slots.Length];
            if (Volatile.Read(ref slot) is null && Interlocked.CompareExchange(ref slot, context, null) is null)
            {
                return;
            }
        }
    }

    /// <summary>Spreads threads over the slots so they rarely contend for the same one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Start(int length) => Environment.CurrentManagedThreadId % length;
}
