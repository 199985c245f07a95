using System.Runtime.CompilerServices;
using VectLite.Vectors;

namespace VectLite.Indexing;

// The order of a bulk insert: a random tenth first, then the rest sorted by where a greedy walk of the graph lands them,
// so that consecutive inserts search the same neighbourhood and find its vectors and links in the processor's caches.
internal sealed partial class HnswGraph
{
    /// <summary>
    /// The smallest batch <see cref="AddMany"/> inserts in locality order. Below it the graph's working set stays in
    /// the caches whatever the order, and the extra walk per row would be cost without gain.
    /// </summary>
    internal const int LocalityOrderMinimumRows = 4_096;

    /// <summary>
    /// One row in this many of a locality-ordered batch (less what the graph already holds) is inserted first, in
    /// random order: the skeleton whose long links the rest is sorted against and later finds its way through.
    /// </summary>
    private const int SkeletonDivisor = 10;

    /// <summary>
    /// True when a batch of <paramref name="batch"/> rows is worth ordering: a bulk build or one that at least doubles
    /// the graph. A small batch into a large graph gets few rows per neighbourhood, too few to share a cached one.
    /// </summary>
    private bool UsesLocalityOrder(int batch) => batch >= LocalityOrderMinimumRows && batch >= Count;

    /// <summary>
    /// Inserts <paramref name="rows"/> (checked) in locality order: a shuffled tenth of them (the skeleton) as
    /// <see cref="AddInOrder"/> does, then the others sorted by the node a greedy walk of the graph reaches from the entry
    /// point, the approximate nearest node.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why: an insert is a search at ef_construction, thousands of distances over the nodes around the new vector, and on a
    /// collection larger than the caches nearly every one of those vectors comes from memory (a quarter of a one-thread
    /// build's samples sat on the prefetches of those vectors). Rows that land on the same node are neighbours, so
    /// inserted one after the other each search finds much of what it reads already cached from the one before.
    /// Measured on Fashion-MNIST (60,000 x 784, one thread): hnswlib's build went from 26.0-26.1 s to 16.5-18.4 s in this
    /// order, recall at every ef the same or higher (docs/tuning.md has the numbers for this engine).
    /// </para>
    /// <para>
    /// Why a skeleton: sorted inserts into an empty graph would build it region by region, and a region built before its
    /// neighbours exist gets no links towards them. A random tenth gives the walk a graph that spans the data (and makes
    /// the result independent of the order the caller wrote, which may itself be sorted). The order is a fixed function
    /// of the rows and the graph's seed, so a one-thread build is repeatable.
    /// </para>
    /// </remarks>
    private void AddInLocalityOrder(ReadOnlySpan<int> rows, int maxDegreeOfParallelism)
    {
        int[] order = rows.ToArray();
        new Random(unchecked((int)_parameters.Seed ^ (int)(_parameters.Seed >> 32))).Shuffle(order);
        int skeleton = Math.Clamp((order.Length / SkeletonDivisor) - Count, 0, order.Length);
        AddInOrder(order.AsSpan(0, skeleton), maxDegreeOfParallelism);

        int[] rest = order[skeleton..];
        SortByLanding(rest, maxDegreeOfParallelism == 0 ? Environment.ProcessorCount : maxDegreeOfParallelism);
        AddInOrder(rest, maxDegreeOfParallelism);
    }

    /// <summary>
    /// Sorts <paramref name="rows"/> by the node their greedy walk of the graph reaches (ties in their current order),
    /// walking on up to <paramref name="threads"/> threads.
    /// </summary>
    private void SortByLanding(int[] rows, int threads)
    {
        // Node in the high half, the row's position in the low half: one sort, and a fixed order for equal nodes.
        var keys = new long[rows.Length];
        const int Step = 256;
        var cursor = new StrongBox<int>(-Step);
        void Work()
        {
            HnswSearchContext context = _contexts.Rent();
            try
            {
                int start;
                while ((start = Interlocked.Add(ref cursor.Value, Step)) < rows.Length)
                {
                    int end = Math.Min(start + Step, rows.Length);
                    for (int i = start; i < end; i++)
                    {
                        keys[i] = ((long)Landing(rows[i], context) << 32) | (uint)i;
                    }
                }
            }
            finally
            {
                _contexts.Return(context);
            }
        }

        DedicatedWorkers.Run(Math.Clamp(threads, 1, Math.Max(1, rows.Length / Step)), Work);
        Array.Sort(keys);
        int[] sorted = new int[rows.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            sorted[i] = rows[(int)keys[i]];
        }

        sorted.CopyTo(rows, 0);
    }

    /// <summary>Returns the node a greedy walk from the entry point reaches for <paramref name="row"/>'s vector (0 for an empty graph).</summary>
    private int Landing(int row, HnswSearchContext context) => _metric switch
    {
        Metric.L2 => Landing<L2Scorer>(row, context),
        Metric.L1 => Landing<L1Scorer>(row, context),
        Metric.Cosine => Landing<CosineScorer>(row, context),
        _ => Landing<DotScorer>(row, context),
    };

    /// <summary>
    /// The greedy walk of <see cref="Landing(int, HnswSearchContext)"/>: the insert's own descent through the upper
    /// levels, continued on level 0 until no neighbour is closer, on the vectors the inserts will link on (the arena's or
    /// the decoded codes).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once per row of a bulk build: no time to tier up
    private unsafe int Landing<TScorer>(int row, HnswSearchContext context)
        where TScorer : struct, IGraphScorer
    {
        long entry = Volatile.Read(ref _entry);
        if (entry == NoEntry)
        {
            return 0;
        }

        GraphView view = GetView();
        int dimension = view.Dimension;
        GraphBuildVectors? decoded = Volatile.Read(ref _buildVectors);
        if (decoded is null)
        {
            ReadOnlySpan<float> query = AsQuery<TScorer>(view.VectorSpan(row), context.UnitQuery(dimension));
            var arena = default(ArenaVectors);
            return GreedyLanding<TScorer, ArenaVectors>(view, query, ref arena, entry);
        }

        int maxLinks = _parameters.MaxLinks0;
        var vectors = new DecodedVectors(decoded, context.DecodeSlots(dimension, maxLinks + DecodedVectors.ExtraSlots), dimension, maxLinks);
        var decodedQuery = new Span<float>(vectors.Slot(DecodedVectors.QuerySlot), dimension);
        decoded.Decode(row, decodedQuery);
        if (TScorer.NeedsUnitQuery)
        {
            VectorKernels.TryNormalize(decodedQuery); // as InsertDecoded: a decoded cosine code is near unit length
        }

        return GreedyLanding<TScorer, DecodedVectors>(view, decodedQuery, ref vectors, entry);
    }

    /// <summary>
    /// Walks from <paramref name="entry"/> (packed level and node) down every level, on each moving to the best neighbour
    /// until none is better, and returns the node where level 0 stops.
    /// </summary>
    /// <remarks>Only a better neighbour's score is needed, so for L2 and L1 a distance stops once it cannot be (most do).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int GreedyLanding<TScorer, TVectors>(in GraphView view, ReadOnlySpan<float> query, ref TVectors vectors, long entry)
        where TScorer : struct, IGraphScorer
        where TVectors : struct, INodeVectors
    {
        int dimension = view.Dimension;
        uint limit = (uint)view.Limit;
        int node = (int)entry;
        int entryRow = view.Row(node);
        float score = entryRow >= 0
            ? TScorer.Score(query, new ReadOnlySpan<float>(vectors.Load(view, entryRow, DecodedVectors.ScratchSlot), dimension))
            : float.NegativeInfinity;
        for (int level = (int)(entry >> 32); level >= 0; level--)
        {
            bool changed = true;
            while (changed)
            {
                changed = false;
                ref int list = ref view.Links.List(node, level);
                int count = Volatile.Read(ref list) & HnswLinkStore.CountMask;
                for (int j = 1; j <= count; j++)
                {
                    int neighbor = Unsafe.Add(ref list, j);
                    if ((uint)neighbor >= limit)
                    {
                        continue;
                    }

                    int row = view.Row(neighbor);
                    if (row < 0)
                    {
                        continue;
                    }

                    var vector = new ReadOnlySpan<float>(vectors.Load(view, row, DecodedVectors.ScratchSlot), dimension);
                    float s = TScorer.ScoreAbove(query, vector, score);
                    if (s > score)
                    {
                        (score, node) = (s, neighbor);
                        changed = true;
                    }
                }
            }
        }

        return node;
    }
}
