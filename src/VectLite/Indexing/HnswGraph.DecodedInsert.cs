using System.Runtime.CompilerServices;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite.Indexing;

// Inserts on decoded codes (GraphBuildVectors) instead of the arena's float32 vectors: the same algorithm as Insert
// (descent, a search and a neighbour choice per level, links bottom-up, the heuristic when a list overflows), with
// every vector it compares decoded from the row's code into the insert's own pinned slots. Used when the float32
// vectors are on disk (GraphBuildVectors says why).
internal sealed partial class HnswGraph
{
    private GraphBuildVectors? _buildVectors;

    /// <summary>
    /// The decoded vectors later inserts are built on, or null (the default) to build on the arena's float32 vectors.
    /// The engine sets it before each batch of inserts; an insert reads it once, so it may change between inserts.
    /// </summary>
    /// <exception cref="ArgumentException">The vectors' dimension is not the graph's.</exception>
    internal GraphBuildVectors? BuildVectors
    {
        get => Volatile.Read(ref _buildVectors);
        set
        {
            if (value is not null && value.Dimension != _dimension)
            {
                throw new ArgumentException($"Build vectors of dimension {value.Dimension} for a graph of dimension {_dimension}.", nameof(value));
            }
            Volatile.Write(ref _buildVectors, value);
        }
    }

    /// <summary>Inserts linked on decoded vectors since the process started: tests prove which vectors a build used.</summary>
    internal static long DecodedInsertsForTests;

    /// <summary>As <see cref="Insert{TScorer}"/>, comparing decoded vectors (see the file's header).</summary>
    private unsafe void InsertDecoded<TScorer>(int node, int row, int level, long entry, GraphBuildVectors source)
        where TScorer : struct, IGraphScorer
    {
        HnswSearchContext context = _contexts.Rent();
        try
        {
            GraphView view = GetView();
            int dimension = view.Dimension;
            int maxLinks = _parameters.MaxLinks0;
            float* slots = context.DecodeSlots(dimension, maxLinks + DecodedVectors.ExtraSlots);
            var vectors = new DecodedVectors(source, slots, dimension, maxLinks);

            // The new row's decoded vector is the query: unit length for cosine, as AsQuery gives the float path.
            var query = new Span<float>(vectors.Slot(DecodedVectors.QuerySlot), dimension);
            source.Decode(row, query);
            if (TScorer.NeedsUnitQuery)
            {
                VectorKernels.TryNormalize(query); // a decoded cosine code is near unit length, never zero in practice
            }

            var scorer = new DecodedRowScorer<TScorer>(source, vectors.Slot(DecodedVectors.QuerySlot), vectors.Slot(DecodedVectors.ScoreSlot), dimension);
            int current = (int)entry;
            int maxLevel = (int)(entry >> 32);
            int entryRow = view.Row(current);
            float currentScore = entryRow >= 0 ? scorer.Score(entryRow) : float.NegativeInfinity;
            (current, currentScore) = DescendScored(view, ref scorer, current, currentScore, maxLevel, level);

            int m = _parameters.M;
            int top = Math.Min(level, maxLevel);
            Span<ScoredNode> chosen = context.LevelChoices(top + 1, m);
            Span<int> chosenCounts = stackalloc int[top + 1];
            var accept = default(AcceptAllRows);
            for (int l = top; l >= 0; l--)
            {
                SearchLayerScored(context, view, ref scorer, current, currentScore, _parameters.EfConstruction, ref accept, int.MaxValue, l, node);
                chosenCounts[l] = Choose<TScorer, DecodedVectors>(context, view, chosen.Slice(l * m, m), ref vectors);
                if (chosenCounts[l] > 0)
                {
                    (current, currentScore) = (chosen[l * m].Node, chosen[l * m].Score);
                }
            }

            for (int l = 0; l <= top; l++)
            {
                Link<TScorer, DecodedVectors>(node, l, chosen.Slice(l * m, chosenCounts[l]), ref vectors);
            }

            Interlocked.Increment(ref DecodedInsertsForTests);
        }
        finally
        {
            _contexts.Return(context);
        }
    }

    /// <summary>Where the insert's neighbour choice reads a row's vector: the arena, or a decoded copy in a slot.</summary>
    private unsafe interface INodeVectors
    {
        /// <summary>
        /// Returns the address of row <paramref name="row"/>'s vector, valid until slot <paramref name="slot"/> is loaded
        /// again: 0 and up for the heuristic's kept neighbours (a candidate is loaded into the slot it keeps if chosen),
        /// or <see cref="DecodedVectors.TargetSlot"/> and <see cref="DecodedVectors.ScratchSlot"/>.
        /// </summary>
        float* Load(in GraphView view, int row, int slot);
    }

    /// <summary>The arena's float32 vectors: the slot is ignored, every row has its own address.</summary>
    private readonly unsafe struct ArenaVectors : INodeVectors
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float* Load(in GraphView view, int row, int slot) => view.Vector(row);
    }

    /// <summary>Decoded vectors in the insert context's pinned slots.</summary>
    private readonly unsafe struct DecodedVectors : INodeVectors
    {
        /// <summary>Slots past the heuristic's: the list owner's vector, a member being scored, the query, the walk's scratch.</summary>
        internal const int ExtraSlots = 4;

        /// <summary>The slot of the vector whose list is re-selected.</summary>
        internal const int TargetSlot = -1;

        /// <summary>A slot for a vector used once (a list member being scored).</summary>
        internal const int ScratchSlot = -2;

        /// <summary>The new row's vector, the insert's query.</summary>
        internal const int QuerySlot = -3;

        /// <summary>Where the walk's row scorer decodes each row it scores.</summary>
        internal const int ScoreSlot = -4;

        private readonly GraphBuildVectors _source;
        private readonly float* _slots;
        private readonly int _dimension;
        private readonly int _heuristicSlots;

        internal DecodedVectors(GraphBuildVectors source, float* slots, int dimension, int heuristicSlots)
        {
            _source = source;
            _slots = slots;
            _dimension = dimension;
            _heuristicSlots = heuristicSlots;
        }

        /// <summary>The address of slot <paramref name="slot"/> (a heuristic slot, or one of the negative named slots).</summary>
        internal float* Slot(int slot) => _slots + ((long)(slot >= 0 ? slot : _heuristicSlots - slot - 1) * _dimension);

        public float* Load(in GraphView view, int row, int slot)
        {
            float* destination = Slot(slot);
            _source.Decode(row, new Span<float>(destination, _dimension));
            return destination;
        }
    }

    /// <summary>Scores a row by decoding it and applying the metric's float scorer against the (decoded) query.</summary>
    private readonly unsafe struct DecodedRowScorer<TScorer> : IRowScorer
        where TScorer : struct, IGraphScorer
    {
        private readonly GraphBuildVectors _source;
        private readonly float* _query;
        private readonly float* _scratch;
        private readonly int _dimension;

        internal DecodedRowScorer(GraphBuildVectors source, float* query, float* scratch, int dimension)
        {
            _source = source;
            _query = query;
            _scratch = scratch;
            _dimension = dimension;
        }

        public float Score(int row)
        {
            var vector = new Span<float>(_scratch, _dimension);
            _source.Decode(row, vector);
            return TScorer.Score(new ReadOnlySpan<float>(_query, _dimension), vector);
        }

        public void Prefetch(int row) => _source.Prefetch(row);
    }
}
