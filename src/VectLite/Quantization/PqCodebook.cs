using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VectLite.Quantization;

/// <summary>
/// The codebooks of a product quantizer: the vector is cut into <see cref="Subvectors"/> sub-vectors of
/// <see cref="SubDimension"/> components, and each sub-space has <see cref="QuantizationOptions.PqCentroids"/> centroids
/// learnt by k-means (<see cref="PqTrainer"/>). A code is one byte per sub-vector: the index of its nearest centroid.
/// Immutable once built.
/// </summary>
/// <remarks>
/// <para>Layout: <see cref="Centroids"/> holds, per sub-space m, per sub-dimension d, the 256 centroids' values
/// (<c>[m][d][c]</c>, "transposed"): the distances from one sub-vector to all 256 centroids are then 32 runs of 8-wide
/// SIMD over contiguous floats per sub-dimension, which is what both encoding and the per-query table need.</para>
/// <para>Thread safety: immutable (the decoding layout is made once, on first use, by whichever thread gets there); every
/// member may be called from any thread.</para>
/// </remarks>
internal sealed class PqCodebook
{
    private const int K = QuantizationOptions.PqCentroids;

    /// <summary>Wraps trained centroids (<c>[m][d][c]</c>, <paramref name="subvectors"/> x <paramref name="subDimension"/> x 256).</summary>
    /// <param name="subvectors">The sub-vectors per vector.</param>
    /// <param name="subDimension">The components per sub-vector.</param>
    /// <param name="centroids">The centroids in the transposed layout.</param>
    /// <param name="baselineError">The mean squared quantization error the drift measure compares with (see <see cref="BaselineError"/>).</param>
    internal PqCodebook(int subvectors, int subDimension, float[] centroids, double baselineError)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(subvectors, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(subDimension, 1);
        if (centroids.Length != subvectors * subDimension * K)
        {
            throw new ArgumentException($"{subvectors} sub-vectors of {subDimension} need {subvectors * subDimension * K} centroid values, not {centroids.Length}.", nameof(centroids));
        }
        Subvectors = subvectors;
        SubDimension = subDimension;
        Centroids = centroids;
        BaselineError = baselineError;
    }

    /// <summary>The sub-vectors per vector: the bytes of a code.</summary>
    internal int Subvectors { get; }

    /// <summary>The components per sub-vector.</summary>
    internal int SubDimension { get; }

    /// <summary>The full dimension.</summary>
    internal int Dimension => Subvectors * SubDimension;

    /// <summary>The centroids, <c>[m][d][c]</c>: value <c>Centroids[((m * SubDimension) + d) * 256 + c]</c>.</summary>
    internal float[] Centroids { get; }

    /// <summary>
    /// The mean squared quantization error the drift measure compares with: over held-out sample vectors the k-means did
    /// not see (<see cref="VectorCodec.Train(QuantizationOptions, Metric, Vectors.VectorArena, IReadOnlyList{int})"/>), since
    /// the training points themselves quantize better than any new vector from the same data (twice as well with 4
    /// points per centroid); over the training points only when <see cref="PqTrainer"/> is called alone.
    /// </summary>
    internal double BaselineError { get; }

    /// <summary>The same codebooks with <paramref name="baselineError"/> as the drift baseline.</summary>
    internal PqCodebook WithBaseline(double baselineError) => new(Subvectors, SubDimension, Centroids, baselineError);

    /// <summary>Bytes the centroids hold.</summary>
    internal long MemoryBytes => (long)Centroids.Length * sizeof(float);

    /// <summary>
    /// Writes into <paramref name="code"/> (<see cref="Subvectors"/> bytes) each sub-vector's nearest centroid (squared L2,
    /// the lower index on a tie) and returns the squared distance from <paramref name="vector"/> to the decoded code.
    /// </summary>
    internal double Encode(ReadOnlySpan<float> vector, Span<byte> code)
    {
        Span<float> distances = stackalloc float[K];
        double error = 0;
        for (int m = 0; m < Subvectors; m++)
        {
            SubspaceDistances(Centroids.AsSpan(m * SubDimension * K, SubDimension * K), vector.Slice(m * SubDimension, SubDimension), distances);
            int best = ArgMin(distances);
            code[m] = (byte)best;
            error += distances[best];
        }
        return error;
    }

    /// <summary>
    /// Writes the vector code <paramref name="code"/> stands for into <paramref name="vector"/>: a graph linked on codes
    /// decodes a few thousand rows per insert (<see cref="DecodedCodeVectors"/>). Reads the centroids in the
    /// <c>[m][c][d]</c> layout (<see cref="CentroidsByCode"/>), one contiguous run of <see cref="SubDimension"/> floats
    /// per byte, instead of <see cref="SubDimension"/> reads 1 KiB apart in the transposed one.
    /// </summary>
    internal void Decode(ReadOnlySpan<byte> code, Span<float> vector)
    {
        float[] byCode = CentroidsByCode;
        int sub = SubDimension;
        for (int m = 0; m < Subvectors; m++)
        {
            byCode.AsSpan(((m * K) + code[m]) * sub, sub).CopyTo(vector.Slice(m * sub, sub));
        }
    }

    /// <summary>
    /// The centroids as <c>[m][c][d]</c>: each centroid's components together, what decoding reads. Made on first use
    /// (codebooks that never decode do not pay its size, that of <see cref="Centroids"/>).
    /// </summary>
    private float[] CentroidsByCode
    {
        get
        {
            float[]? table = Volatile.Read(ref _centroidsByCode);
            if (table is not null)
            {
                return table;
            }
            table = new float[Centroids.Length];
            for (int m = 0; m < Subvectors; m++)
            {
                for (int d = 0; d < SubDimension; d++)
                {
                    for (int c = 0; c < K; c++)
                    {
                        table[(((m * K) + c) * SubDimension) + d] = Centroids[(((m * SubDimension) + d) * K) + c];
                    }
                }
            }
            return Interlocked.CompareExchange(ref _centroidsByCode, table, null) ?? table;
        }
    }

    private float[]? _centroidsByCode;

    /// <summary>
    /// Fills the asymmetric-distance table of <paramref name="query"/>: entry <c>m * 256 + c</c> is the score of query
    /// sub-vector m against centroid c (higher is better), so a code's score is the sum of its bytes' entries: for L2
    /// minus the squared distance, for L1 minus the Manhattan distance, for dot and cosine the dot product (the query
    /// unit length for cosine, as the codes are). <paramref name="table"/> is at least <c>Subvectors * 256</c> long.
    /// </summary>
    internal void FillTable(ReadOnlySpan<float> query, Metric metric, Span<float> table)
    {
        for (int m = 0; m < Subvectors; m++)
        {
            ReadOnlySpan<float> sub = query.Slice(m * SubDimension, SubDimension);
            ReadOnlySpan<float> centroids = Centroids.AsSpan(m * SubDimension * K, SubDimension * K);
            Span<float> row = table.Slice(m * K, K);
            switch (metric)
            {
                case Metric.L2:
                    SubspaceDistances(centroids, sub, row);
                    Negate(row);
                    break;
                case Metric.L1:
                    row.Clear();
                    for (int d = 0; d < sub.Length; d++)
                    {
                        ReadOnlySpan<float> values = centroids.Slice(d * K, K);
                        for (int c = 0; c < K; c++)
                        {
                            row[c] -= MathF.Abs(sub[d] - values[c]);
                        }
                    }
                    break;
                default:
                    row.Clear();
                    for (int d = 0; d < sub.Length; d++)
                    {
                        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(centroids.Slice(d * K, K), sub[d], row, row);
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// Writes the squared L2 distance from <paramref name="sub"/> to each of one sub-space's 256 centroids (given as
    /// <c>[d][c]</c>) into <paramref name="distances"/>: vectorised over the centroids, 8 at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void SubspaceDistances(ReadOnlySpan<float> centroids, ReadOnlySpan<float> sub, Span<float> distances)
    {
        ref float c0 = ref MemoryMarshal.GetReference(centroids);
        ref float out0 = ref MemoryMarshal.GetReference(distances);
        for (int c = 0; c < K; c += Vector256<float>.Count)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (int d = 0; d < sub.Length; d++)
            {
                Vector256<float> diff = Vector256.Create(sub[d]) - Vector256.LoadUnsafe(ref c0, (nuint)((d * K) + c));
                acc += diff * diff;
            }
            acc.StoreUnsafe(ref out0, (nuint)c);
        }
    }

    /// <summary>The index of the smallest of 256 values, the lowest on a tie.</summary>
    internal static int ArgMin(ReadOnlySpan<float> values)
    {
        int best = 0;
        float min = values[0];
        for (int c = 1; c < values.Length; c++)
        {
            if (values[c] < min)
            {
                min = values[c];
                best = c;
            }
        }
        return best;
    }

    private static void Negate(Span<float> values) => System.Numerics.Tensors.TensorPrimitives.Negate(values, values);
}
