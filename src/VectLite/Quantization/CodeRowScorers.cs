using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VectLite.Indexing;
using VectLite.Vectors;

namespace VectLite.Quantization;

/// <summary>
/// SQ8 scoring of a float query against a row's code, for dot and cosine (the codes hold unit vectors for cosine):
/// <c>bias + scale * sum(weights * code)</c>, the estimated dot product with the decoded vector, the weights being the
/// query times each dimension's step, quantized to 16 bits (<see cref="CodeKernels.QuantizeWeights"/>). Higher is better.
/// </summary>
internal readonly struct Sq8DotRowScorer : IRowScorer
{
    private readonly CodeStore.View _codes;
    private readonly short[] _weights;
    private readonly int _dimension;
    private readonly float _scale;
    private readonly float _bias;

    /// <param name="codes">The codes.</param>
    /// <param name="weights">The quantized weights (at least <paramref name="dimension"/> long: pooled).</param>
    /// <param name="dimension">The dimension.</param>
    /// <param name="scale">What one unit of a quantized weight is worth.</param>
    /// <param name="bias">The query dotted with the ranges' minimums.</param>
    internal Sq8DotRowScorer(CodeStore.View codes, short[] weights, int dimension, float scale, float bias)
    {
        _codes = codes;
        _weights = weights;
        _dimension = dimension;
        _scale = scale;
        _bias = bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int row)
    {
        ReadOnlySpan<byte> code = _codes.Get(row);
        return _bias + (_scale * CodeKernels.DotShorts(_weights.AsSpan(0, _dimension), code[.._dimension]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int row) => _codes.Prefetch(row);
}


/// <summary>
/// SQ8 scoring for L2: <c>2 q.x - |x|^2</c> of the decoded vector x, which is <c>|q|^2 - |q - x|^2</c>: the same order
/// as minus the squared distance, with no subtraction per component (the squared norm is stored with each code). The
/// dot product as <see cref="Sq8DotRowScorer"/> computes it.
/// </summary>
internal readonly struct Sq8L2RowScorer : IRowScorer
{
    private readonly CodeStore.View _codes;
    private readonly short[] _weights;
    private readonly int _dimension;
    private readonly float _scale;
    private readonly float _bias;

    /// <param name="codes">The codes.</param>
    /// <param name="weights">The quantized weights (at least <paramref name="dimension"/> long: pooled).</param>
    /// <param name="dimension">The dimension.</param>
    /// <param name="scale">What one unit of a quantized weight is worth.</param>
    /// <param name="bias">The query dotted with the ranges' minimums.</param>
    internal Sq8L2RowScorer(CodeStore.View codes, short[] weights, int dimension, float scale, float bias)
    {
        _codes = codes;
        _weights = weights;
        _dimension = dimension;
        _scale = scale;
        _bias = bias;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int row)
    {
        ReadOnlySpan<byte> code = _codes.Get(row);
        float norm = MemoryMarshal.Read<float>(code[_dimension..]);
        return (2f * (_bias + (_scale * CodeKernels.DotShorts(_weights.AsSpan(0, _dimension), code[.._dimension])))) - norm;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int row) => _codes.Prefetch(row);
}


/// <summary>SQ8 scoring for L1: minus the Manhattan distance of the query to the decoded vector (the query in code units).</summary>
internal readonly struct Sq8L1RowScorer : IRowScorer
{
    private readonly CodeStore.View _codes;
    private readonly float[] _steps;
    private readonly float[] _targets;

    internal Sq8L1RowScorer(CodeStore.View codes, float[] steps, float[] targets)
    {
        _codes = codes;
        _steps = steps;
        _targets = targets;
    }

    public float Score(int row) => -CodeKernels.WeightedAbsDiffBytes(_steps, _targets, _codes.Get(row)[.._steps.Length]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int row) => _codes.Prefetch(row);
}


/// <summary>
/// Binary scoring with a float query (asymmetric): a stored vector is read as <c>mean + scale * signs</c>, so
/// <c>u . (x - mean) ~ scale * (2 * sum(u over set bits) - sum(u))</c>, the sum over set bits taken a byte at a time
/// from a per-query table (<c>table[j * 256 + b]</c> = the sum of u over the bits set in byte value b at byte j). For
/// dot and cosine <c>u</c> is the query and the score adds <c>q . mean</c>; for L2 and L1 <c>u = q - mean</c> and the
/// score is <c>2 u . (x - mean) - |x - mean|^2</c>, minus the squared distance up to a per-query constant.
/// </summary>
/// <remarks>
/// Measured against plain Hamming distance on the same bits (Fashion-MNIST, bench/results): the float query keeps
/// the magnitudes Hamming throws away, and recall at equal oversampling is markedly higher, at equal code size plus
/// 8 bytes per vector.
/// </remarks>
internal readonly struct BinaryRowScorer : IRowScorer
{
    private readonly CodeStore.View _codes;
    private readonly float[] _table;
    private readonly int _bytes;
    private readonly int _bitBytes;
    private readonly float _total;
    private readonly float _offset;
    private readonly bool _l2;

    internal BinaryRowScorer(CodeStore.View codes, float[] table, int bytes, int bitBytes, float total, float offset, bool l2)
    {
        _codes = codes;
        _table = table;
        _bytes = bytes;
        _bitBytes = bitBytes;
        _total = total;
        _offset = offset;
        _l2 = l2;
    }

    /// <summary>Builds the per-byte table of <paramref name="u"/>: entry <c>j * 256 + b</c> is the sum of u over the bits set in b at byte j.</summary>
    internal static float[] BuildTable(ReadOnlySpan<float> u)
    {
        var table = new float[TableLength(u.Length)];
        FillTable(u, table);
        return table;
    }

    /// <summary>The table's length for <paramref name="dimension"/>: 256 entries per byte of bits.</summary>
    internal static int TableLength(int dimension) => ((dimension + 7) / 8) * 256;

    /// <summary>Fills <paramref name="table"/> (at least <see cref="TableLength"/> long) as <see cref="BuildTable"/> does, for a pooled array.</summary>
    internal static void FillTable(ReadOnlySpan<float> u, Span<float> table)
    {
        int bytes = (u.Length + 7) / 8;
        for (int j = 0; j < bytes; j++)
        {
            Span<float> t = table.Slice(j * 256, 256);
            t[0] = 0f;
            for (int b = 1; b < 256; b++)
            {
                int low = System.Numerics.BitOperations.TrailingZeroCount(b);
                int d = (j * 8) + low;
                t[b] = t[b & (b - 1)] + (d < u.Length ? u[d] : 0f);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int row)
    {
        ReadOnlySpan<byte> code = _codes.Get(row);
        ref float table = ref MemoryMarshal.GetArrayDataReference(_table);
        float set = 0f;
        for (int j = 0; j < _bytes; j++)
        {
            set += Unsafe.Add(ref table, (j << 8) + code[j]);
        }
        float scale = MemoryMarshal.Read<float>(code[_bitBytes..]);
        float estimate = scale * ((2f * set) - _total);
        return _l2 ? (2f * estimate) - MemoryMarshal.Read<float>(code[(_bitBytes + sizeof(float))..]) : _offset + estimate;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int row) => _codes.Prefetch(row);
}



/// <summary>
/// PQ scoring with a float query (asymmetric distance computation): the sum, over a code's bytes, of the per-query
/// table's score for that sub-vector's centroid (<see cref="PqCodebook.FillTable"/>): minus the squared L2 (or L1)
/// distance to the decoded vector, or its dot product with the query for dot and cosine. Higher is better.
/// </summary>
internal readonly struct PqRowScorer : IRowScorer
{
    private readonly CodeStore.View _codes;
    private readonly float[] _table;
    private readonly int _tableLength;

    /// <param name="codes">The codes.</param>
    /// <param name="table">The per-query table (at least <paramref name="subvectors"/> x 256 long: pooled).</param>
    /// <param name="subvectors">The sub-vectors per code.</param>
    internal PqRowScorer(CodeStore.View codes, float[] table, int subvectors)
    {
        _codes = codes;
        _table = table;
        _tableLength = subvectors * QuantizationOptions.PqCentroids;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int row) => CodeKernels.SumLookups(_table.AsSpan(0, _tableLength), _codes.Get(row));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int row) => _codes.Prefetch(row);
}


/// <summary>
/// Float16 scoring: the float query against the halves, widened in the kernel (<see cref="CodeKernels.DotHalf"/>):
/// the dot product for dot and cosine (both unit length for cosine), minus the squared L2 or the L1 distance otherwise.
/// </summary>
internal readonly struct Float16RowScorer : IRowScorer
{
    private readonly CodeStore.View _codes;
    private readonly float[] _query;
    private readonly int _dimension;
    private readonly Metric _metric;

    /// <param name="codes">The codes.</param>
    /// <param name="query">The query (at least <paramref name="dimension"/> long: pooled).</param>
    /// <param name="dimension">The dimension.</param>
    /// <param name="metric">The metric.</param>
    internal Float16RowScorer(CodeStore.View codes, float[] query, int dimension, Metric metric)
    {
        _codes = codes;
        _query = query;
        _dimension = dimension;
        _metric = metric;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Score(int row)
    {
        ReadOnlySpan<Half> halves = MemoryMarshal.Cast<byte, Half>(_codes.Get(row));
        ReadOnlySpan<float> query = _query.AsSpan(0, _dimension);
        return _metric switch
        {
            Metric.L2 => -CodeKernels.L2SquaredHalf(query, halves),
            Metric.L1 => -CodeKernels.L1Half(query, halves),
            _ => CodeKernels.DotHalf(query, halves),
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int row) => _codes.Prefetch(row);
}
