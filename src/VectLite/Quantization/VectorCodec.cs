using System.Runtime.InteropServices;
using VectLite.Vectors;

namespace VectLite.Quantization;

/// <summary>
/// What a trained quantizer knows, immutable once trained: per dimension the [min, max] range and the mean of the
/// training sample (for cosine, of the unit vectors), PQ's codebooks, and how a vector becomes a code. A retrain makes a
/// new codec.
/// </summary>
/// <remarks>
/// Cosine vectors are encoded at unit length: the score wanted is the cosine, so the codes approximate the direction
/// only, and the stored float32 vector (any length, the caller's) is untouched.
/// </remarks>
internal sealed class VectorCodec
{
    /// <summary>The most held-out vectors PQ's drift baseline is measured on.</summary>
    private const int HeldOutSample = 2048;

    /// <summary>Float16 codes are clamped to the largest finite half, so a code never holds an infinity.</summary>
    private const float HalfMax = 65504f;

    /// <param name="kind">The kind of codes.</param>
    /// <param name="metric">The metric (cosine codes hold unit vectors).</param>
    /// <param name="min">Per dimension, the training sample's minimum.</param>
    /// <param name="max">Per dimension, the training sample's maximum.</param>
    /// <param name="mean">Per dimension, the training sample's mean.</param>
    /// <param name="pq">PQ's codebooks: required for <see cref="QuantizationKind.Pq"/>, null otherwise.</param>
    /// <param name="rotation">RaBitQ's rotation: required for <see cref="QuantizationKind.RaBitQ"/>, null otherwise.</param>
    internal VectorCodec(QuantizationKind kind, Metric metric, float[] min, float[] max, float[] mean, PqCodebook? pq = null, RaBitQRotation? rotation = null)
    {
        if (kind is not (QuantizationKind.Sq8 or QuantizationKind.Binary or QuantizationKind.Pq or QuantizationKind.Float16 or QuantizationKind.RaBitQ))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only SQ8, binary, PQ, float16 and RaBitQ have codecs.");
        }
        if ((kind == QuantizationKind.RaBitQ) != (rotation is not null) || (rotation is not null && rotation.Dimension != min.Length))
        {
            throw new ArgumentException("RaBitQ needs a rotation of the vector's dimension, and only RaBitQ has one.", nameof(rotation));
        }
        if (min.Length != max.Length || min.Length != mean.Length || min.Length == 0)
        {
            throw new ArgumentException("min, max and mean must have one value per dimension.", nameof(min));
        }
        if ((kind == QuantizationKind.Pq) != (pq is not null) || (pq is not null && pq.Dimension != min.Length))
        {
            throw new ArgumentException("PQ needs codebooks of the vector's dimension, and only PQ has them.", nameof(pq));
        }
        Pq = pq;
        Rotation = rotation;
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
        CodeBytes = kind switch
        {
            QuantizationKind.Sq8 => Dimension + sizeof(float),
            QuantizationKind.Binary or QuantizationKind.RaBitQ => BitBytes + (2 * sizeof(float)),
            QuantizationKind.Pq => pq!.Subvectors,
            _ => Dimension * sizeof(ushort),
        };
    }

    internal QuantizationKind Kind { get; }

    internal Metric Metric { get; }

    internal int Dimension => Min.Length;

    /// <summary>
    /// The bytes of one code: SQ8 one byte per dimension plus the decoded vector's squared norm (float32); binary one bit
    /// per dimension in whole 64-bit words (<see cref="BitBytes"/>), then two float32: the scale (the mean of
    /// <c>|x - mean|</c> over the dimensions) and <c>|x - mean|^2</c>; PQ one byte per sub-vector (its centroid);
    /// float16 two bytes per dimension (IEEE half, little-endian); RaBitQ as binary, but the bits are the signs of the
    /// rotated <c>x - centroid</c> (one per padded dimension, which is a whole number of words) and the scale is
    /// <c>|x - c|^2 / |R (x - c)|_1</c> (see <see cref="Encode(ReadOnlySpan{float}, Span{byte}, Span{float}, out double)"/>).
    /// </summary>
    internal int CodeBytes { get; }

    /// <summary>Binary: the bytes of the sign bits, whole 64-bit words.</summary>
    internal int BitBytes { get; }

    /// <summary>RaBitQ's rotation; null for the other kinds.</summary>
    internal RaBitQRotation? Rotation { get; }

    /// <summary>PQ's codebooks; null for the other kinds.</summary>
    internal PqCodebook? Pq { get; }

    /// <summary>Whether retraining can help: float16 codes are the same whatever the data, so they never drift.</summary>
    internal bool CanDrift => Kind != QuantizationKind.Float16;

    internal float[] Min { get; }

    internal float[] Max { get; }

    internal float[] Mean { get; }

    /// <summary>SQ8: what one code unit is worth per dimension, <c>(max - min) / 255</c> (0 for a constant dimension).</summary>
    internal float[] Step { get; }

    internal float[] InverseStep { get; }

    /// <summary>
    /// Trains a codec for <paramref name="options"/> from <paramref name="sample"/> rows of <paramref name="arena"/>: per
    /// dimension the min, max and mean (of the unit vectors for cosine), and for PQ the codebooks, trained on at most
    /// <see cref="QuantizationOptions.PqMaxTrainingSample"/> of four in five sample rows (evenly spread), the fifth held
    /// out to measure the drift baseline (<see cref="PqCodebook.BaselineError"/>).
    /// </summary>
    internal static VectorCodec Train(QuantizationOptions options, Metric metric, VectorArena arena, IReadOnlyList<int> sample)
    {
        if (options.Kind != QuantizationKind.Pq)
        {
            return Train(options.Kind, metric, arena, sample);
        }
        VectorCodec ranges = Train(QuantizationKind.Sq8, metric, arena, sample);
        int dimension = arena.Dimension;

        // About one sample row in five is held out from k-means (at most HeldOutSample of them) to measure the error the
        // drift test compares with; of the rest, at most PqMaxTrainingSample rows, evenly spread, train the codebooks. The
        // split takes the top bits of a Fibonacci hash of the position, not every fifth row: data written in a cycle
        // (row i in cluster i % 20) would otherwise hold out whole clusters and train without them.
        var heldOut = new List<int>();
        var training = new List<int>();
        for (int i = 0; i < sample.Count; i++)
        {
            bool hold = sample.Count >= 5 && ((uint)i * 0x9E3779B1u) >> 24 < 51; // 51 / 256: 20%
            (hold ? heldOut : training).Add(sample[i]);
        }
        int count = Math.Min(training.Count, QuantizationOptions.PqMaxTrainingSample);
        var points = new float[(long)count * dimension];
        double stride = training.Count / (double)Math.Max(1, count);
        for (int i = 0; i < count; i++)
        {
            Span<float> point = points.AsSpan(i * dimension, dimension);
            Prepare(metric, arena.Get(training[(int)(i * stride)]), point).CopyTo(point);
        }
        PqCodebook pq = PqTrainer.Train(points, count, dimension, options.EffectivePqSubvectors(dimension));
        if (heldOut.Count > 0)
        {
            int measured = Math.Min(heldOut.Count, HeldOutSample);
            var scratch = new float[dimension];
            var code = new byte[pq.Subvectors];
            double error = 0;
            for (int i = 0; i < measured; i++)
            {
                error += pq.Encode(Prepare(metric, arena.Get(heldOut[(int)(i * (heldOut.Count / (double)measured))]), scratch), code);
            }
            pq = pq.WithBaseline(error / measured);
        }
        return new VectorCodec(QuantizationKind.Pq, metric, ranges.Min, ranges.Max, ranges.Mean, pq);
    }

    /// <summary>
    /// Trains a codec from <paramref name="sample"/> rows of <paramref name="arena"/>: per dimension the min, max and
    /// mean (of the unit vectors for cosine). Not for PQ (it needs the sub-vector count: the overload above).
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
        // RaBitQ: the mean is the centroid the codes are taken around; the rotation is seeded, so training repeats.
        return new VectorCodec(kind, metric, min, max, mean, rotation: kind == QuantizationKind.RaBitQ ? RaBitQRotation.Create(dimension) : null);
    }

    /// <summary>
    /// Encodes <paramref name="vector"/> into <paramref name="code"/> (<see cref="CodeBytes"/> bytes); returns how many
    /// components fell outside the trained ranges (clipped to them by SQ8), the measure of drift.
    /// </summary>
    internal int Encode(ReadOnlySpan<float> vector, Span<byte> code, Span<float> scratch) => Encode(vector, code, scratch, out _);

    /// <summary>
    /// Encodes as <see cref="Encode(ReadOnlySpan{float}, Span{byte}, Span{float})"/> and also returns, for PQ, the
    /// squared distance from the (prepared) vector to its decoded code in <paramref name="error"/>: PQ's drift measure.
    /// </summary>
    internal int Encode(ReadOnlySpan<float> vector, Span<byte> code, Span<float> scratch, out double error)
    {
        ReadOnlySpan<float> v = Prepare(Metric, vector, scratch);
        int clipped = 0;
        int dimension = Dimension;
        error = 0;
        if (Kind == QuantizationKind.Pq)
        {
            error = Pq!.Encode(v, code);
            return 0;
        }
        if (Kind == QuantizationKind.Float16)
        {
            // Clamped to the finite half range (counted, as SQ8 counts clipping); rounding to nearest even otherwise.
            Span<Half> halves = MemoryMarshal.Cast<byte, Half>(code);
            for (int d = 0; d < dimension; d++)
            {
                float x = v[d];
                if (x is > HalfMax or < -HalfMax)
                {
                    clipped++;
                    x = Math.Clamp(x, -HalfMax, HalfMax);
                }
                halves[d] = (Half)x;
            }
            return clipped;
        }
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

        if (Kind == QuantizationKind.RaBitQ)
        {
            return EncodeRaBitQ(v, code);
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

    /// <summary>
    /// RaBitQ (Gao and Long, SIGMOD 2024), one bit per rotated dimension: with <c>o = (x - c) / |x - c|</c> rotated to
    /// <c>o' = R o</c>, the code is <c>o_bar = sign(o') / sqrt(D')</c>, and the unbiased estimator of <c>o . u</c> for any
    /// query direction is <c>(o_bar . R u) / (o_bar . o')</c>. Scaled by <c>|x - c|</c>, the estimate of
    /// <c>(x - c) . u</c> is <c>scale * (2 * sum(R u over set bits) - sum(R u))</c> with
    /// <c>scale = |x - c|^2 / |R (x - c)|_1</c>: the same form as binary's, so the same table scorer serves both. The
    /// second float is <c>|x - c|^2</c>, for L2. Returns the components outside the trained ranges (drift, as binary).
    /// </summary>
    private int EncodeRaBitQ(ReadOnlySpan<float> v, Span<byte> code)
    {
        RaBitQRotation rotation = Rotation!;
        int dimension = Dimension;
        float[] buffer = System.Buffers.ArrayPool<float>.Shared.Rent(dimension + rotation.PaddedDimension);
        try
        {
            Span<float> centred = buffer.AsSpan(0, dimension);
            Span<float> rotated = buffer.AsSpan(dimension, rotation.PaddedDimension);
            int clipped = 0;
            double squares = 0;
            for (int d = 0; d < dimension; d++)
            {
                float x = v[d];
                if (x < Min[d] || x > Max[d])
                {
                    clipped++;
                }
                centred[d] = x - Mean[d];
                squares += (double)centred[d] * centred[d];
            }
            rotation.Apply(centred, rotated);
            code.Clear();
            double absSum = 0;
            for (int i = 0; i < rotated.Length; i++)
            {
                absSum += Math.Abs(rotated[i]);
                if (rotated[i] > 0)
                {
                    code[i >> 3] |= (byte)(1 << (i & 7));
                }
            }
            // A vector at the centroid has no direction: scale 0 makes its estimate 0, which is exact.
            BitConverter.TryWriteBytes(code[BitBytes..], absSum > 0 ? (float)(squares / absSum) : 0f);
            BitConverter.TryWriteBytes(code[(BitBytes + sizeof(float))..], (float)squares);
            return clipped;
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(buffer);
        }
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
