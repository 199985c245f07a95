using System.Buffers;
using VectLite.Indexing;
using VectLite.Quantization;
using VectLite.Vectors;

namespace VectLite.Search;

/// <summary>
/// A graph search on quantized codes followed by rescoring: the walk gathers <c>oversampling x k</c> candidates by their
/// code scores, then each is scored exactly on its float32 vector and the best k are kept. Every score a caller sees is
/// exact; the codes only decide the shortlist.
/// </summary>
internal static class QuantizedSearch
{
    /// <summary>For tests and the benchmark: the candidates the last quantized search on this thread rescored (0: none ran).</summary>
    [ThreadStatic]
    internal static int LastRescored;

    /// <summary>For the benchmark's oversampling sweep only: when set, searches on this thread use it instead of the schema's.</summary>
    [ThreadStatic]
    internal static float? OversamplingForBench;

    /// <summary>
    /// Runs the search and offers the rescored candidates to <paramref name="heap"/> (exact <typeparamref name="TScorer"/>
    /// scores). Returns the level-0 code scores the walk computed, or -1 when <paramref name="budget"/> ran out (nothing offered).
    /// </summary>
    /// <param name="codes">The trained codes; every row the graph holds is encoded.</param>
    /// <param name="graph">The graph, built on the float32 vectors.</param>
    /// <param name="arena">The float32 vectors, for rescoring.</param>
    /// <param name="query">The query as the float scorer wants it (unit length for cosine).</param>
    /// <param name="ef">The candidate list size the caller chose; raised to the shortlist size when that is larger.</param>
    /// <param name="oversampling">Candidates gathered per result wanted, at least 1.</param>
    /// <param name="budget">As for the float walk: the most level-0 scores before giving up.</param>
    /// <param name="filter">Which rows may be results.</param>
    /// <param name="heap">Receives the exact scores; its size is the k wanted.</param>
    internal static int Run<TScorer, TFilter>(QuantizedCodes codes, HnswGraph graph, VectorArena arena, ReadOnlySpan<float> query, int ef, float oversampling, int budget, ref TFilter filter, TopKHeap heap)
        where TScorer : struct, IVectorScorer
        where TFilter : struct, IRowFilter
    {
        int shortlist = (int)Math.Min(CollectionEngine.MaxSearchResults, Math.Ceiling(oversampling * heap.K));
        shortlist = Math.Max(shortlist, heap.K);
        var candidates = new TopKHeap(shortlist);
        int size = Math.Max(ef, shortlist);
        int scored = Walk(codes, graph, query, size, ScaleBudget(budget, codes.Codec.Kind), ref filter, candidates);
        if (scored < 0)
        {
            return -1;
        }

        (float Score, int Row)[] drained = ArrayPool<(float, int)>.Shared.Rent(candidates.Count);
        try
        {
            int n = candidates.DrainDescending(drained);
            LastRescored = n;
            for (int i = 0; i < n; i++)
            {
                int row = drained[i].Row;
                heap.Push(TScorer.Score(query, arena.Get(row)), row);
            }
        }
        finally
        {
            ArrayPool<(float, int)>.Shared.Return(drained);
        }

        return scored;
    }

    /// <summary>
    /// The planner's budget is in float32 distances (the exact scan's cost). A code score reads a quarter (SQ8) or a
    /// thirty-second (binary) of the bytes (PQ and float16: below), and graph search time is memory time (see <see cref="HnswGraph"/>), so the
    /// same time buys more code scores: the budget is scaled by 4 for SQ8 and 16 for binary (Hamming adds a popcount
    /// per word, so not the full 32).
    /// </summary>
    internal static int ScaleBudget(int budget, QuantizationKind kind)
    {
        // PQ reads a sixteenth of the bytes but pays a table lookup per byte: 8; float16 reads half: 2.
        long factor = kind switch { QuantizationKind.Binary or QuantizationKind.RaBitQ => 16, QuantizationKind.Pq => 8, QuantizationKind.Float16 => 2, _ => 4 };
        return (int)Math.Min(int.MaxValue, budget * factor);
    }

    /// <summary>Prepares the query for the codec (once per search) and walks the graph with the matching row scorer.</summary>
    private static int Walk<TFilter>(QuantizedCodes codes, HnswGraph graph, ReadOnlySpan<float> query, int ef, int budget, ref TFilter filter, TopKHeap candidates)
        where TFilter : struct, IRowFilter
    {
        VectorCodec codec = codes.Codec;
        CodeStore.View view = codes.Store.GetView();
        int dimension = codec.Dimension;
        // Per-query tables from the pool: a binary table is 256 floats per 8 dimensions (100 KB at 784-d), which would
        // otherwise be a large-object allocation per search.
        float[] scratch = ArrayPool<float>.Shared.Rent(dimension);
        try
        {
            if (codec.Pq is { } pq)
            {
                // Asymmetric distances: the query's score against every centroid of every sub-space, once per search.
                float[] table = ArrayPool<float>.Shared.Rent(pq.Subvectors * QuantizationOptions.PqCentroids);
                try
                {
                    pq.FillTable(query, codec.Metric, table);
                    var scorer = new PqRowScorer(view, table, pq.Subvectors);
                    return graph.SearchScored(ref scorer, ef, ref filter, candidates, budget);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(table);
                }
            }
            if (codec.Kind == QuantizationKind.Float16)
            {
                query.CopyTo(scratch); // unit length already for cosine, as the codes are
                var halves = new Float16RowScorer(view, scratch, dimension, codec.Metric);
                return graph.SearchScored(ref halves, ef, ref filter, candidates, budget);
            }
            if (codec.Rotation is { } rotation)
            {
                return WalkRaBitQ(codec, rotation, view, graph, query, ef, budget, ref filter, candidates);
            }
            if (codec.Kind == QuantizationKind.Binary)
            {
                // The query is unit length already for cosine (the engine normalised it), as the codes were encoded.
                bool l2 = codec.Metric is Metric.L2 or Metric.L1;
                double total = 0, offset = 0;
                for (int d = 0; d < dimension; d++)
                {
                    scratch[d] = l2 ? query[d] - codec.Mean[d] : query[d];
                    total += scratch[d];
                    offset += (double)query[d] * codec.Mean[d];
                }
                float[] table = ArrayPool<float>.Shared.Rent(BinaryRowScorer.TableLength(dimension));
                try
                {
                    BinaryRowScorer.FillTable(scratch.AsSpan(0, dimension), table);
                    var binary = new BinaryRowScorer(view, table, (dimension + 7) / 8, codec.BitBytes, (float)total, (float)offset, l2);
                    return graph.SearchScored(ref binary, ef, ref filter, candidates, budget);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(table);
                }
            }

            if (codec.Metric == Metric.L1)
            {
                var targets = new float[dimension];
                for (int d = 0; d < dimension; d++)
                {
                    targets[d] = (query[d] - codec.Min[d]) * codec.InverseStep[d];
                }
                var l1 = new Sq8L1RowScorer(view, codec.Step, targets);
                return graph.SearchScored(ref l1, ef, ref filter, candidates, budget);
            }

            // q . decoded = sum(q * min) + sum((q * step) * code): the first term once here, the second per row.
            double bias = 0;
            for (int d = 0; d < dimension; d++)
            {
                scratch[d] = query[d] * codec.Step[d];
                bias += (double)query[d] * codec.Min[d];
            }
            short[] weights = ArrayPool<short>.Shared.Rent(dimension);
            try
            {
                float scale = CodeKernels.QuantizeWeights(scratch.AsSpan(0, dimension), weights);
                if (codec.Metric == Metric.L2)
                {
                    var l2 = new Sq8L2RowScorer(view, weights, dimension, scale, (float)bias);
                    return graph.SearchScored(ref l2, ef, ref filter, candidates, budget);
                }
                var dot = new Sq8DotRowScorer(view, weights, dimension, scale, (float)bias);
                return graph.SearchScored(ref dot, ef, ref filter, candidates, budget);
            }
            finally
            {
                ArrayPool<short>.Shared.Return(weights);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// RaBitQ: the query (minus the centroid for L2 and L1) is rotated once per search, and the rotated float query is
    /// scored against the bits through binary's per-byte table (<see cref="BinaryRowScorer"/>: the estimator has the
    /// same form, see <see cref="VectorCodec.Rotation"/>). A float query rather than the paper's 4-bit one with popcounts:
    /// the table lookup costs one load per 8 bits either way, and the float query adds no error of its own.
    /// </summary>
    private static int WalkRaBitQ<TFilter>(VectorCodec codec, RaBitQRotation rotation, CodeStore.View view, HnswGraph graph, ReadOnlySpan<float> query, int ef, int budget, ref TFilter filter, TopKHeap candidates)
        where TFilter : struct, IRowFilter
    {
        int dimension = codec.Dimension;
        int padded = rotation.PaddedDimension;
        bool l2 = codec.Metric is Metric.L2 or Metric.L1;
        float[] buffer = ArrayPool<float>.Shared.Rent(dimension + padded);
        float[] table = ArrayPool<float>.Shared.Rent(BinaryRowScorer.TableLength(padded));
        try
        {
            Span<float> u = buffer.AsSpan(0, dimension);
            Span<float> rotated = buffer.AsSpan(dimension, padded);
            double offset = 0;
            for (int d = 0; d < dimension; d++)
            {
                u[d] = l2 ? query[d] - codec.Mean[d] : query[d];
                offset += (double)query[d] * codec.Mean[d];
            }
            rotation.Apply(u, rotated);
            double total = 0;
            foreach (float x in rotated)
            {
                total += x;
            }
            BinaryRowScorer.FillTable(rotated, table);
            var scorer = new BinaryRowScorer(view, table, padded / 8, codec.BitBytes, (float)total, (float)offset, l2);
            return graph.SearchScored(ref scorer, ef, ref filter, candidates, budget);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(table);
            ArrayPool<float>.Shared.Return(buffer);
        }
    }
}
