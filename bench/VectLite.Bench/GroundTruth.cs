using System.Numerics;
using System.Runtime.InteropServices;

namespace VectLite.Bench;

/// <summary>Exact nearest neighbours by brute force, for data whose shipped ground truth does not apply.</summary>
internal static class GroundTruth
{
    /// <summary>Neighbours kept per query, as in the shipped gt.ivecs.</summary>
    public const int Depth = 100;

    /// <summary>Queries scored together against each base vector (one base load feeds this many dot products).</summary>
    private const int QueryBlock = 4;

    /// <summary>
    /// The <see cref="Depth"/> base rows of largest inner product with each query, best first (ties: lower row
    /// first): for unit vectors, the cosine and the L2 neighbours, and what the peer's inner-product space ranks by.
    /// </summary>
    /// <remarks>
    /// Blocks of <see cref="QueryBlock"/> queries run in parallel on all cores; each scans every base row with float
    /// SIMD dot products and keeps a heap of the best <see cref="Depth"/>; those are then rescored in double and
    /// sorted, so float rounding cannot swap near-ties at the boundary of the top 10.
    /// </remarks>
    /// <exception cref="ArgumentException">The dimensions differ.</exception>
    public static TexmexFile<int> MaxInnerProduct(TexmexFile<float> vectors, TexmexFile<float> queries)
    {
        if (vectors.Dimension != queries.Dimension)
        {
            throw new ArgumentException($"Base dimension {vectors.Dimension} and query dimension {queries.Dimension} differ.", nameof(queries));
        }
        int depth = Math.Min(Depth, vectors.Count);
        var result = new int[queries.Count * depth];
        int blocks = (queries.Count + QueryBlock - 1) / QueryBlock;
        Parallel.For(0, blocks, block =>
        {
            int first = block * QueryBlock;
            SearchBlock(vectors, queries, first, Math.Min(QueryBlock, queries.Count - first), depth, result);
        });
        return TexmexFile<int>.FromRows(result, depth);
    }

    private static void SearchBlock(TexmexFile<float> vectors, TexmexFile<float> queries, int first, int count, int depth, int[] result)
    {
        var heaps = new PriorityQueue<int, float>[count];
        for (int j = 0; j < count; j++)
        {
            heaps[j] = new PriorityQueue<int, float>(depth + 1);
        }

        // A short last block repeats its first query in the unused lanes and ignores their scores.
        ReadOnlySpan<float> q0 = queries.Row(first).Span;
        ReadOnlySpan<float> q1 = queries.Row(first + Math.Min(1, count - 1)).Span;
        ReadOnlySpan<float> q2 = queries.Row(first + Math.Min(2, count - 1)).Span;
        ReadOnlySpan<float> q3 = queries.Row(first + Math.Min(3, count - 1)).Span;
        Span<float> scores = stackalloc float[QueryBlock];
        for (int row = 0; row < vectors.Count; row++)
        {
            Dot4(vectors.Row(row).Span, q0, q1, q2, q3, scores);
            for (int j = 0; j < count; j++)
            {
                PriorityQueue<int, float> heap = heaps[j];
                if (heap.Count < depth)
                {
                    heap.Enqueue(row, scores[j]);
                }
                else if (heap.TryPeek(out _, out float worst) && scores[j] > worst)
                {
                    heap.EnqueueDequeue(row, scores[j]);
                }
            }
        }

        for (int j = 0; j < count; j++)
        {
            ReadOnlyMemory<float> query = queries.Row(first + j);
            (int Row, double Score)[] best = [.. heaps[j].UnorderedItems.Select(item => (item.Element, DotDouble(vectors.Row(item.Element).Span, query.Span)))];
            Array.Sort(best, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Row.CompareTo(b.Row));
            for (int i = 0; i < depth; i++)
            {
                result[((first + j) * depth) + i] = best[i].Row;
            }
        }
    }

    /// <summary>Four float dot products of <paramref name="x"/> with each query, loading each chunk of <paramref name="x"/> once.</summary>
    private static void Dot4(ReadOnlySpan<float> x, ReadOnlySpan<float> q0, ReadOnlySpan<float> q1, ReadOnlySpan<float> q2, ReadOnlySpan<float> q3, Span<float> scores)
    {
        ReadOnlySpan<Vector<float>> xv = MemoryMarshal.Cast<float, Vector<float>>(x);
        ReadOnlySpan<Vector<float>> v0 = MemoryMarshal.Cast<float, Vector<float>>(q0);
        ReadOnlySpan<Vector<float>> v1 = MemoryMarshal.Cast<float, Vector<float>>(q1);
        ReadOnlySpan<Vector<float>> v2 = MemoryMarshal.Cast<float, Vector<float>>(q2);
        ReadOnlySpan<Vector<float>> v3 = MemoryMarshal.Cast<float, Vector<float>>(q3);
        Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < xv.Length; i++)
        {
            Vector<float> v = xv[i];
            a0 += v * v0[i];
            a1 += v * v1[i];
            a2 += v * v2[i];
            a3 += v * v3[i];
        }
        float s0 = Vector.Sum(a0), s1 = Vector.Sum(a1), s2 = Vector.Sum(a2), s3 = Vector.Sum(a3);
        for (int i = xv.Length * Vector<float>.Count; i < x.Length; i++)
        {
            s0 += x[i] * q0[i];
            s1 += x[i] * q1[i];
            s2 += x[i] * q2[i];
            s3 += x[i] * q3[i];
        }
        scores[0] = s0;
        scores[1] = s1;
        scores[2] = s2;
        scores[3] = s3;
    }

    private static double DotDouble(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += (double)x[i] * y[i];
        }
        return sum;
    }
}
