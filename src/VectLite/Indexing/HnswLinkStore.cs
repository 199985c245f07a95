using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VectLite.Indexing;

/// <summary>
/// The links of an HNSW graph, laid out as hnswlib lays them out: level 0 as fixed-size blocks, one per
/// node, and the upper levels in a side pool only for the nodes that reach them. Shared by a graph and
/// every graph <see cref="HnswGraph.Remap"/> derives from it, because a remap changes rows, not links.
/// </summary>
/// <remarks>
/// <para>How it works:</para>
/// <list type="number">
/// <item><description>
/// Node <c>n</c>'s level-0 block is <c>1 + 2M</c> ints at <c>n * (1 + 2M)</c> in chunk
/// <c>n &gt;&gt; 10</c>: a header, then up to 2M neighbour ids. The header's low 16 bits are the
/// neighbour count; bit 31 is the node's lock (one lock per node for all its levels, as hnswlib's
/// link_list_locks_), so taking the lock touches the cache line the list is on.
/// </description></item>
/// <item><description>
/// A node with level <c>L &gt; 0</c> owns <c>L</c> consecutive upper blocks of <c>1 + M</c> ints
/// (count, then up to M ids) in the upper pool, starting at the offset in its upper-offset entry
/// (-1 for level-0 nodes). The pool is chunked too, and a node's blocks never straddle two pool chunks.
/// </description></item>
/// <item><description>
/// Every per-node array is chunked by 1,024 nodes (a small graph holds about 150 KB; the directories
/// stay small enough to live in L1 for a million nodes). Growing allocates new chunks and publishes longer
/// directories with <see cref="Volatile.Write{T}(ref T, T)"/>; chunks never move, so a reader holding
/// an old directory keeps reading valid memory while inserts continue.
/// </description></item>
/// <item><description>
/// Readers take no lock: they read a count with <c>Volatile.Read</c> and then the ids
/// below it. Writers store ids before the count (a release), so a reader sees either the old or the new
/// list, or, while a full list is rewritten in place, a mix of valid ids: never an id that is not a node.
/// </description></item>
/// </list>
/// <para>
/// Thread safety: the growth members (<see cref="EnsureNodeCapacity"/>, <see cref="InitializeNode"/>)
/// run under the owning graph's growth lock; list updates run under the node's lock; reads need nothing.
/// </para>
/// </remarks>
internal sealed class HnswLinkStore
{
    /// <summary>log2 of the nodes per chunk of every per-node array.</summary>
    internal const int NodeChunkShift = 10;

    /// <summary>The nodes per chunk of every per-node array.</summary>
    internal const int NodesPerChunk = 1 << NodeChunkShift;

    /// <summary>Masks a node id to its index in its chunk.</summary>
    internal const int NodeChunkMask = NodesPerChunk - 1;

    /// <summary>log2 of the ints per upper-pool chunk.</summary>
    internal const int PoolChunkShift = 12;

    /// <summary>The ints per upper-pool chunk (16 KiB): more than the largest node's blocks, 31 x (1 + 100).</summary>
    internal const int PoolChunkInts = 1 << PoolChunkShift;

    /// <summary>Masks a pool offset to its index in its chunk.</summary>
    internal const int PoolChunkMask = PoolChunkInts - 1;

    /// <summary>Masks a level-0 header to the neighbour count.</summary>
    internal const int CountMask = 0xFFFF;

    /// <summary>The level-0 header bit that is the node's lock.</summary>
    internal const int LockBit = unchecked((int)0x8000_0000);

    /// <summary>The highest level a node may have (levels are stored in a byte).</summary>
    internal const int MaxLevel = 31;

    private int[][] _links0 = [];
    private byte[][] _levels = [];
    private int[][] _upperOffsets = [];
    private int[][] _upperPool = [];
    private int _upperUsed;

    /// <summary>Creates an empty store for links of up to <paramref name="m"/> (upper) and 2M (level 0) per node.</summary>
    internal HnswLinkStore(int m)
    {
        M = m;
        Block0Ints = 1 + (2 * m);
        UpperBlockInts = 1 + m;
    }

    /// <summary>The upper-level link budget; level 0 holds 2M.</summary>
    internal int M { get; }

    /// <summary>The ints in a level-0 block: the header and 2M ids.</summary>
    internal int Block0Ints { get; }

    /// <summary>The ints in an upper block: the count and M ids.</summary>
    internal int UpperBlockInts { get; }

    /// <summary>The nodes the allocated chunks can hold.</summary>
    internal int NodeCapacity => Volatile.Read(ref _links0).Length << NodeChunkShift;

    /// <summary>The ints of the upper pool handed out so far (including gaps at chunk ends).</summary>
    internal int UpperUsed => Volatile.Read(ref _upperUsed);

    /// <summary>The bytes the store has allocated: every chunk, whether filled or not.</summary>
    internal long MemoryBytes
    {
        get
        {
            long chunks = Volatile.Read(ref _links0).Length;
            long perNode = (Block0Ints * sizeof(int)) + sizeof(byte) + sizeof(int);
            long directories = 3 * chunks * IntPtr.Size;
            long pool = (long)Volatile.Read(ref _upperPool).Length * ((PoolChunkInts * sizeof(int)) + IntPtr.Size);
            return (chunks * NodesPerChunk * perNode) + directories + pool;
        }
    }

    /// <summary>Returns a snapshot of the directories for a reader.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal LinkView GetView() => new(Volatile.Read(ref _links0), Volatile.Read(ref _upperOffsets), Volatile.Read(ref _upperPool), Block0Ints, UpperBlockInts);

    /// <summary>Returns node <paramref name="node"/>'s level. The node must be below <see cref="NodeCapacity"/>.</summary>
    internal int GetLevel(int node) => Volatile.Read(ref _levels)[node >> NodeChunkShift][node & NodeChunkMask];

    /// <summary>Makes the per-node arrays hold at least <paramref name="nodes"/> nodes. Growth lock only.</summary>
    internal void EnsureNodeCapacity(int nodes)
    {
        int needed = (int)(((long)nodes + NodeChunkMask) >> NodeChunkShift);
        int have = _links0.Length;
        if (needed <= have)
        {
            return;
        }

        int[][] links0 = Grow(_links0, needed, () => new int[NodesPerChunk * Block0Ints]);
        byte[][] levels = Grow(_levels, needed, () => new byte[NodesPerChunk]);
        int[][] offsets = Grow(_upperOffsets, needed, () => new int[NodesPerChunk]);

        // Publish the directories the links reach last: a reader that sees the new level-0 directory
        // (through a node count published after this) also sees the others.
        Volatile.Write(ref _levels, levels);
        Volatile.Write(ref _upperOffsets, offsets);
        Volatile.Write(ref _links0, links0);
    }

    /// <summary>
    /// Records a new node's level and gives it upper blocks if it has any. Its level-0 block is still all
    /// zero (no neighbours). Growth lock only, after <see cref="EnsureNodeCapacity"/>.
    /// </summary>
    internal void InitializeNode(int node, int level)
    {
        Debug.Assert(level is >= 0 and <= MaxLevel, "Levels are clamped to 0..31.");
        _levels[node >> NodeChunkShift][node & NodeChunkMask] = (byte)level;
        _upperOffsets[node >> NodeChunkShift][node & NodeChunkMask] = level == 0 ? -1 : AllocateUpper(level);
    }

    /// <summary>
    /// Takes the lock in a node's level-0 <paramref name="header"/> and returns its level-0 neighbour count.
    /// A spin lock: it is held for one list update at a time, never while waiting for another lock.
    /// </summary>
    internal static int Lock(ref int header)
    {
        var spin = default(SpinWait);
        while (true)
        {
            int current = Volatile.Read(ref header);
            if ((current & LockBit) == 0 && Interlocked.CompareExchange(ref header, current | LockBit, current) == current)
            {
                return current & CountMask;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Stores <paramref name="count"/> as the level-0 neighbour count and releases the lock (a release store).</summary>
    internal static void Unlock(ref int header, int count) => Volatile.Write(ref header, count);

    /// <summary>Gives the store the chunks of a loaded graph. Used by <see cref="HnswGraph"/>'s loader only.</summary>
    internal void Adopt(int[][] links0, byte[][] levels, int[][] upperOffsets, int[][] upperPool, int upperUsed)
    {
        _links0 = links0;
        _levels = levels;
        _upperOffsets = upperOffsets;
        _upperPool = upperPool;
        _upperUsed = upperUsed;
    }

    /// <summary>The raw chunks, for saving: the level-0 blocks, levels, upper offsets and upper pool.</summary>
    internal (int[][] Links0, byte[][] Levels, int[][] UpperOffsets, int[][] UpperPool) Chunks =>
        (Volatile.Read(ref _links0), Volatile.Read(ref _levels), Volatile.Read(ref _upperOffsets), Volatile.Read(ref _upperPool));

    /// <summary>
    /// Returns whether the upper blocks of a node of <paramref name="level"/> starting at
    /// <paramref name="offset"/> lie inside a pool of <paramref name="used"/> ints without straddling a chunk.
    /// </summary>
    internal static bool UpperBlocksFit(int offset, int level, int upperBlockInts, int used) =>
        offset >= 0 && (long)offset + ((long)level * upperBlockInts) <= used
        && (offset & PoolChunkMask) + (level * upperBlockInts) <= PoolChunkInts;

    private int AllocateUpper(int level)
    {
        int size = level * UpperBlockInts;
        int offset = _upperUsed;

        // A node's blocks stay inside one pool chunk so one chunk lookup serves all its levels.
        if ((offset & PoolChunkMask) + size > PoolChunkInts)
        {
            offset = (offset + PoolChunkMask) & ~PoolChunkMask;
        }

        int neededChunks = ((offset + size) >> PoolChunkShift) + (((offset + size) & PoolChunkMask) == 0 ? 0 : 1);
        if (neededChunks > _upperPool.Length)
        {
            Volatile.Write(ref _upperPool, Grow(_upperPool, neededChunks, () => new int[PoolChunkInts]));
        }

        Volatile.Write(ref _upperUsed, offset + size);
        return offset;
    }

    private static T[][] Grow<T>(T[][] current, int needed, Func<T[]> create)
    {
        var grown = new T[needed][];
        Array.Copy(current, grown, current.Length);
        for (int i = current.Length; i < needed; i++)
        {
            grown[i] = create();
        }

        return grown;
    }

    /// <summary>
    /// A reader's snapshot of the link directories: turns a node (and level) into a reference to its list
    /// without bounds checks. Valid for nodes below the node count read before the snapshot was taken.
    /// </summary>
    internal readonly struct LinkView
    {
        private readonly int[][] _links0;
        private readonly int[][] _upperOffsets;
        private readonly int[][] _upperPool;
        private readonly int _block0Ints;
        private readonly int _upperBlockInts;

        internal LinkView(int[][] links0, int[][] upperOffsets, int[][] upperPool, int block0Ints, int upperBlockInts)
        {
            _links0 = links0;
            _upperOffsets = upperOffsets;
            _upperPool = upperPool;
            _block0Ints = block0Ints;
            _upperBlockInts = upperBlockInts;
        }

        /// <summary>The bytes of one level-0 block: the header and 2M ids.</summary>
        internal int Level0Bytes => _block0Ints * sizeof(int);

        /// <summary>
        /// Returns a reference to node <paramref name="node"/>'s level-0 header; the ids follow it. Mask the
        /// header with <see cref="CountMask"/> for the count.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal ref int Level0(int node)
        {
            Debug.Assert((uint)(node >> NodeChunkShift) < (uint)_links0.Length, "The node is beyond the snapshot.");
            int[] chunk = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_links0), node >> NodeChunkShift);
            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk), (node & NodeChunkMask) * _block0Ints);
        }

        /// <summary>
        /// Returns a reference to the count of node <paramref name="node"/>'s list on upper level
        /// <paramref name="level"/> (1 or more, at most the node's level); the ids follow it.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal ref int Upper(int node, int level)
        {
            Debug.Assert(level >= 1, "Level 0 lives in the level-0 blocks.");
            int[] offsets = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_upperOffsets), node >> NodeChunkShift);
            int offset = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(offsets), node & NodeChunkMask);
            Debug.Assert(offset >= 0, "Only nodes above level 0 have upper blocks.");
            int[] pool = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_upperPool), offset >> PoolChunkShift);
            return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(pool), (offset & PoolChunkMask) + ((level - 1) * _upperBlockInts));
        }

        /// <summary>Returns a reference to node <paramref name="node"/>'s list header on <paramref name="level"/>: the level-0 header or the upper count.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal ref int List(int node, int level) => ref level == 0 ? ref Level0(node) : ref Upper(node, level);
    }
}
