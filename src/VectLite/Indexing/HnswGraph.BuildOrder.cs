using System.Runtime.CompilerServices;
using VectLite.Vectors;

namespace VectLite.Indexing;

// The order of a bulk insert: a random tenth first, then the rest sorted by where the greedy descent through the upper
// levels lands them, so that consecutive inserts search the same neighbourhood and find its vectors and links in the
// processor's caches.
internal sealed partial class HnswGraph
{
    /// <summary>
    /// The smallest batch <see cref="AddMany"/> inserts in locality order: a judgment, not a measured limit. The order
    /// pays only once the vectors outgrow the caches (10,000 x 384, 15 MB, built as fast either way), and a skeleton of a
    /// tenth needs enough rows to span the data; below this a build takes well under a second either way.
    /// </summary>
    internal const int LocalityOrderMinimumRows = 4_096;

    /// <summary>
    /// One row in this many of a locality-ordered batch (less what the graph already holds) is inserted first, in
    /// random order: the skeleton whose long links the rest is sorted against and later finds its way through.
    /// </summary>
    private const int SkeletonDivisor = 10;

    /// <summary>
    /// True when a batch of <paramref name="batch"/> rows is worth ordering: a bulk build or one that at least doubles
    /// the graph. A small batch into a large graph would spread over its neighbourhoods, a few rows to each, too few to
    /// share a cached one (reasoned, not measured: the measured builds are all into an empty graph).
    /// </summary>
    private bool UsesLocalityOrder(int batch) => batch >= LocalityOrderMinimumRows && batch >= Count;

    /// <summary>
    /// Inserts <paramref name="rows"/> (checked) in locality order: a shuffled tenth of them (the skeleton) as
    /// <see cref="AddInOrder"/> does, then the others sorted by the node where an insert's greedy descent from the entry
    /// point would reach level 1 (their landing node), so neighbours follow each other.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why: an insert is a search at ef_construction, thousands of distances over the nodes around the new vector, and on a
    /// collection larger than the caches nearly every one of those vectors comes from memory (a quarter of a one-thread
    /// build's samples sat on the prefetches of those vectors). Rows that land on the same node are neighbours, so
    /// inserted one after the other each search finds much of what it reads already cached from the one before.
    /// Measured on Fashion-MNIST (60,000 x 784, one thread): this engine's build 22.7 and 23.1 s in the order written,
    /// 18.2 and 15.7 s in this order; hnswlib in the same order gains as much (docs/tuning.md, "Bulk loads").
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
    /// Sorts <paramref name="rows"/> by their landing node (ties in their current order), walking on up to
    /// <paramref name="threads"/> threads.
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

    /// <summary>Returns the node where the insert's greedy descent would reach level 1 for <paramref name="row"/> (0 for an empty graph).</summary>
    private int Landing(int row, HnswSearchContext context) => _metric switch
    {
        Metric.L2 => Landing<L2Scorer>(row, context),
        Metric.L1 => Landing<L1Scorer>(row, context),
        Metric.Cosine => Landing<CosineScorer>(row, context),
        _ => Landing<DotScorer>(row, context),
    };

    /// <summary>
    /// The walk of <see cref="Landing(int, HnswSearchContext)"/>: an insert's descent through the upper levels (the same
    /// moves as <see cref="Insert{TScorer}"/> and <see cref="InsertDecoded{TScorer}"/> make), on the vectors the inserts
    /// will link on, the arena's or the decoded codes.
    /// </summary>
    /// <remarks>
    /// Level 1, not level 0: a level-1 node of the skeleton stands for about M of its nodes, a region where some 9 M rows
    /// of the batch land, enough to keep one insert's working set in use for many inserts. Walked on to level 0, the
    /// groups hold a few rows each and consecutive groups are unrelated regions: on Fashion-MNIST (one thread,
    /// alternating processes) the build took 20.6 and 17.1 s landing on level 0, 18.2 and 15.7 s on level 1, 18.3 and
    /// 19.9 s on level 2, against 22.7 and 23.1 s in the order written.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // once per row of a bulk build: no time to tier up
    private unsafe int Landing<TScorer>(int row, HnswSearchContext context)
        where TScorer : struct, IGraphScorer
    {
        long entry = Volatile.Read(ref _entry);
        if (entry == NoEntry)
        {
            return 0;
        }

        GraphView view = GetView();
        int node = (int)entry;
        int maxLevel = (int)(entry >> 32);
        GraphBuildVectors? decoded = Volatile.Read(ref _buildVectors);
        if (decoded is null)
        {
            ReadOnlySpan<float> query = AsQuery<TScorer>(view.VectorSpan(row), context.UnitQuery(view.Dimension));
            return Descend<TScorer>(view, query, node, ScoreNode<TScorer>(view, query, node), maxLevel, 0).Node;
        }

        // As InsertDecoded: the row's decoded vector is the query (unit length for cosine), rows are scored decoded.
        int dimension = view.Dimension;
        float* slots = context.DecodeSlots(dimension, 2);
        var decodedQuery = new Span<float>(slots, dimension);
        decoded.Decode(row, decodedQuery);
        if (TScorer.NeedsUnitQuery)
        {
            VectorKernels.TryNormalize(decodedQuery);
        }

        var scorer = new DecodedRowScorer<TScorer>(decoded, slots, slots + dimension, dimension);
        int entryRow = view.Row(node);
        float score = entryRow >= 0 ? scorer.Score(entryRow) : float.NegativeInfinity;
        return DescendScored(view, ref scorer, node, score, maxLevel, 0).Node;
    }
}
