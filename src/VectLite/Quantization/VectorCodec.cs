using VectLite.Vectors;

namespace VectLite.Quantization;

/// <summary>
/// What a trained quantizer knows, immutable once trained: per dimension the [min, max] range and the mean of the
/// training sample (for cosine, of the unit vectors), and how a vector becomes a code. A retrain makes a new codec.
/// </summary>
/// <remarks>
/// Cosine vectors are encoded at unit length: the score wanted is the cosine, so the codes approximate the direction
/// only, and the stored float32 vector (any length, the caller's) is untouched.
/// </remarks>
internal sealed class VectorCodec
{
    internal VectorCodec(QuantizationKind kind, Metric metric, float[] min, float[] max, float[] mean)
    {
        if (kind is not (QuantizationKind.Sq8 or QuantizationKind.Binary))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only SQ8 and binary have codecs.");
        }
        if (min.Length != max.Length || min.Length != mean.Length || min.Length == 0)
        {
            throw new ArgumentException("min, max and mean must have one value per dimension.", nameof(min));
        }
        Kind = kind;
        Metric = metric;
        Min = min;
        Max = max;
        Mean = mean;
        Step = new float[min.Length];
        InverseStep = new float[min.Length];
        for (int d = 0; d < min.Length; d++)
        {
            float step = (max[d] - min[d]) / 255f;
            Step[d] = step > 0 && float.IsFinite(step) ? step : 0f;
            InverseStep[d] = Step[d] > 0 ? 1f / Step[d] : 0f;
        }
        BitBytes = ((Dimension + 63) / 64) * sizeof(ulong);
        CodeBytes = kind == QuantizationKind.Sq8 ? Dimension + sizeof(float) : BitBytes + (2 * sizeof(float));
    }

    internal QuantizationKind Kind { get; }

    internal Metric Metric { get; }

    internal int Dimension => Min.Length;

    /// <summary>
    /// The bytes of one code: SQ8 one byte per dimension plus the decoded vector's squared norm (float32); binary one bit
    /// per dimension in whole 64-bit words (<see cref="BitBytes"/>), then two float32: the scale (the mean of
    /// <c>|x - mean|</c> over the dimensions) and <c>|x - mean|^2</c>.
    /// </summary>
    internal int CodeBytes { get; }

    /// <summary>Binary: the bytes of the sign bits, whole 64-bit words.</summary>
    internal int BitBytes { get; }

    internal float[] Min { get; }

    internal float[] Max { get; }

    internal float[] Mean { get; }

    /// <summary>SQ8: what one code unit is worth per dimension, <c>(max - min) / 255</c> (0 for a constant dimension).</summary>
    internal float[] Step { get; }

    internal float[] InverseStep { get; }

    /// <summary>
    /// Trains a codec from <paramref name="sample"/> rows of <paramref name="arena"/>: per dimension the min, max and
    /// mean (of the unit vectors for cosine).
    /// </summary>
    internal static VectorCodec Train(QuantizationKind kind, Metric metric, VectorArena arena, IReadOnlyList<int> sample)
    {
        int dimension = arena.Dimension;
        var min = new float[dimension];
        var max = new float[dimension];
        var sum = new double[dimension];
        Array.Fill(min, float.PositiveInfinity);
        Array.Fill(max, float.NegativeInfinity);
        var unit = new float[dimension];
        foreach (int row in sample)
        {
            ReadOnlySpan<float> v = Prepare(metric, arena.Get(row), unit);
            for (int d = 0; d < dimension; d++)
            {
                float x = v[d];
                min[d] = Math.Min(min[d], x);
                max[d] = Math.Max(max[d], x);
                sum[d] += x;
            }
        }
        var mean = new float[dimension];
        for (int d = 0; d < dimension; d++)
        {
            if (sample.Count == 0)
            {
                min[d] = max[d] = 0;
            }
            mean[d] = sample.Count == 0 ? 0 : (float)(sum[d] / sample.Count);
        }
        return new VectorCodec(kind, metric, min, max, mean);
    }

    /// <summary>
    /// Encodes <paramref name="vector"/> into <paramref name="code"/> (<see cref="CodeBytes"/> bytes); returns how many
    /// components fell outside the trained ranges (clipped to them by SQ8), the measure of drift.
    /// </summary>
    internal int Encode(ReadOnlySpan<float> vector, Span<byte> code, Span<float> scratch)
    {
        ReadOnlySpan<float> v = Prepare(Metric, vector, scratch);
        int clipped = 0;
        int dimension = Dimension;
        if (Kind == QuantizationKind.Sq8)
        {
            double norm = 0;
            for (int d = 0; d < dimension; d++)
            {
                float x = v[d];
                if (x < Min[d] || x > Max[d])
                {
                    clipped++;
                }
                float units = MathF.Round((x - Min[d]) * InverseStep[d]);
                byte c = (byte)Math.Clamp(units, 0f, 255f);
                code[d] = c;
                double decoded = Min[d] + (c * (double)Step[d]);
                norm += decoded * decoded;
            }
            BitConverter.TryWriteBytes(code[dimension..], (float)norm);
            return clipped;
        }

        // Binary: x - mean ~ scale * signs, the scale that minimises the L1 error; |x - mean|^2 exactly, for L2.
        code.Clear();
        double absSum = 0, squares = 0;
        for (int d = 0; d < dimension; d++)
        {
            float x = v[d];
            if (x < Min[d] || x > Max[d])
            {
                clipped++;
            }
            double centred = x - Mean[d];
            absSum += Math.Abs(centred);
            squares += centred * centred;
            if (centred > 0)
            {
                code[d >> 3] |= (byte)(1 << (d & 7));
            }
        }
        BitConverter.TryWriteBytes(code[BitBytes..], (float)(absSum / dimension));
        BitConverter.TryWriteBytes(code[(BitBytes + sizeof(float))..], (float)squares);
        return clipped;
    }

    /// <summary>Returns the decoded SQ8 value of component <paramref name="d"/> for code byte <paramref name="c"/> (for tests and docs).</summary>
    internal float Decode(int d, byte c) => Min[d] + (c * Step[d]);

    /// <summary>The vector as the codes see it: for cosine a unit copy in <paramref name="scratch"/>, else the vector itself.</summary>
    internal static ReadOnlySpan<float> Prepare(Metric metric, ReadOnlySpan<float> vector, Span<float> scratch)
    {
        if (metric != Metric.Cosine)
        {
            return vector;
        }
        Span<float> unit = scratch[..vector.Length];
        vector.CopyTo(unit);
        if (!VectorKernels.TryNormalize(unit))
        {
            unit.Clear(); // a zero vector cannot be stored under cosine; never reached for validated data
        }
        return unit;
    }
}
