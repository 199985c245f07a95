using System.Globalization;

namespace VectLite;

/// <summary>
/// The quantization of one named vector (<see cref="VectorSpec.Quantization"/>): which codes the HNSW search walks on, and
/// how many candidates it rescores with the full float32 vectors. Part of the schema, fixed when the collection is created.
/// </summary>
/// <remarks>
/// <para>How a quantized search works: the graph is walked on the codes, which gathers <c>Oversampling x k</c>
/// candidates (k = TopK + Offset); each is rescored with its full float32 vector, and the best k are returned with exact
/// scores. Results and scores therefore never come from the codes alone; only which rows make the shortlist does.</para>
/// <para>Training: the codes need ranges (SQ8) or means (binary; RaBitQ also draws its seeded rotation) learnt from the data. Until the collection holds
/// <see cref="MinTrainingVectors"/> live vectors, searches walk the graph on the float32 vectors, as without quantization,
/// and <see cref="VectorIndexStats.Quantization"/> says so. At a checkpoint, when more than
/// <see cref="RetrainClippedShare"/> of the values encoded since training fell outside the trained ranges (the data has
/// drifted), the codes are retrained from the live vectors.</para>
/// <para>PQ trains k-means codebooks (<see cref="PqCentroids"/> centroids per sub-space, at most
/// <see cref="PqKMeansIterations"/> Lloyd iterations from a k-means++ start, seeded, on at most
/// <see cref="PqMaxTrainingSample"/> vectors). Its drift measure is the quantization error: when the mean squared distance
/// from the vectors encoded since training to their decoded codes exceeds <see cref="PqRetrainErrorRatio"/> times the
/// mean over sample vectors held out of training (after at least <see cref="PqMinDriftVectors"/> vectors), a checkpoint retrains.
/// Float16 needs no training: its codes exist from the first row, and it never drifts.</para>
/// <para>Reads (<c>Get</c>, <c>Scroll</c>) always return the float32 values written, bit for bit; the codes are a
/// search structure only. The float32 vectors (needed for rescoring and reads) are kept on disk and memory-mapped by
/// default for a quantized vector, so RAM holds the codes (<c>dimension</c> bytes for SQ8, <c>dimension / 8</c> for
/// binary, <see cref="PqSubvectors"/> for PQ, <c>2 x dimension</c> for float16, the padded dimension / 8 plus 8 bytes
/// for RaBitQ, per vector) and the graph;
/// <see cref="VectorStorage.Ram"/> keeps them in RAM too (see <see cref="VectorStorage"/>).</para>
/// </remarks>
public sealed record QuantizationOptions
{
    /// <summary>The live vectors a collection needs before its codes are trained (searches use float32 until then).</summary>
    public const int MinTrainingVectors = 1000;

    /// <summary>The most vectors a training samples (evenly spread over the rows).</summary>
    public const int MaxTrainingSample = 20_000;

    /// <summary>
    /// The share of values encoded since training that fell outside the per-dimension [min, max] ranges of the training
    /// sample, above which a checkpoint retrains the codes (1%): the data has drifted. Both kinds keep those ranges (SQ8
    /// quantizes over them; binary uses them only for this test).
    /// </summary>
    public const double RetrainClippedShare = 0.01;

    /// <summary>The centroids per PQ sub-space: one byte per sub-vector.</summary>
    public const int PqCentroids = 256;

    /// <summary>The most Lloyd iterations a PQ sub-space's k-means runs (it stops earlier when no assignment changes).</summary>
    public const int PqKMeansIterations = 12;

    /// <summary>
    /// The most vectors PQ training uses (evenly spread over <see cref="MaxTrainingSample"/>): 40 per centroid, the
    /// ratio faiss asks for, which keeps training a 784-d codebook to seconds.
    /// </summary>
    public const int PqMaxTrainingSample = 40 * PqCentroids;

    /// <summary>
    /// PQ drift: a checkpoint retrains the codebooks when the mean quantization error of the vectors encoded since training
    /// exceeds this many times that of sample vectors held out of training (1.5): new data from the same distribution
    /// scores about 1x, data from elsewhere much worse. (Held out, because the points k-means fitted quantize up to twice
    /// as well as any new vector when there are few points per centroid.)
    /// </summary>
    public const double PqRetrainErrorRatio = 1.5;

    /// <summary>The vectors PQ needs to have encoded since training before its drift measure is trusted.</summary>
    public const int PqMinDriftVectors = 200;

    /// <summary>The largest <see cref="Oversampling"/>.</summary>
    public const float MaxOversampling = 100f;

    /// <summary>No quantization: the graph is searched on the float32 vectors.</summary>
    public static QuantizationOptions None { get; } = new();

    /// <summary>SQ8 with the default oversampling.</summary>
    public static QuantizationOptions Sq8 { get; } = new() { Kind = QuantizationKind.Sq8 };

    /// <summary>Binary with the default oversampling.</summary>
    public static QuantizationOptions Binary { get; } = new() { Kind = QuantizationKind.Binary };

    /// <summary>PQ with the default sub-vectors (<see cref="DefaultPqSubvectors"/>) and oversampling.</summary>
    public static QuantizationOptions Pq { get; } = new() { Kind = QuantizationKind.Pq };

    /// <summary>RaBitQ with the default oversampling.</summary>
    public static QuantizationOptions RaBitQ { get; } = new() { Kind = QuantizationKind.RaBitQ };

    /// <summary>Float16 with the default oversampling.</summary>
    public static QuantizationOptions Float16 { get; } = new() { Kind = QuantizationKind.Float16 };

    /// <summary>The kind of codes; <see cref="QuantizationKind.None"/> by default.</summary>
    public QuantizationKind Kind { get; init; }

    /// <summary>
    /// How many candidates per wanted result the code search gathers for rescoring with the full vectors: at least 1,
    /// at most <see cref="MaxOversampling"/>; 0 (the default) picks <see cref="DefaultOversampling"/> for the kind.
    /// </summary>
    public float Oversampling { get; init; }

    /// <summary>
    /// PQ only: how many sub-vectors a vector is cut into, each coded as one byte; it must divide the dimension. 0 (the
    /// default) picks <see cref="DefaultPqSubvectors"/>. Fewer sub-vectors mean smaller codes and lower recall before
    /// rescoring: the codes take <c>4 x dimension / PqSubvectors</c> times less memory than float32.
    /// </summary>
    public int PqSubvectors { get; init; }

    /// <summary>
    /// The sub-vectors PQ uses when <see cref="PqSubvectors"/> is 0: the most that leave at least 4 dimensions per
    /// sub-vector and divide <paramref name="dimension"/> (dimension / 4 when 4 divides it: 16x compression, 196 for
    /// 784-d, 96 for 384-d); 1 for a dimension below 8 or with no such divisor.
    /// </summary>
    public static int DefaultPqSubvectors(int dimension)
    {
        for (int m = dimension / 4; m > 1; m--)
        {
            if (dimension % m == 0)
            {
                return m;
            }
        }
        return 1;
    }

    /// <summary>The sub-vectors a PQ codec for <paramref name="dimension"/> uses: <see cref="PqSubvectors"/> or the default.</summary>
    public int EffectivePqSubvectors(int dimension) => PqSubvectors > 0 ? PqSubvectors : DefaultPqSubvectors(dimension);

    /// <summary>
    /// The oversampling used when <see cref="Oversampling"/> is 0: 2 for SQ8 and 16 for binary, from the Fashion-MNIST
    /// measurement (bench/results/quantized-fashion-mnist.md): SQ8 at 1 already matches float32's recall at every ef
    /// there, and 2 leaves a margin for data its ranges fit less well; binary reaches recall@10 0.59, 0.74 and 0.85 at
    /// 4, 8 and 16 on that data (784 pixel values), so 16 is the smallest setting worth having as a default. PQ: 8, and
    /// float16: 1, from a smoke run on 3,000 of those vectors (bench/results/quantized-fashion-mnist-smoke.md): float16 at
    /// 1 matched float32's recall at every ef; PQ already reached recall 1.0 at 4, and 8 is a margin for larger
    /// collections until the full 60,000-vector run confirms it. RaBitQ: 8 (see <see cref="RaBitQDefaultOversampling"/>).
    /// </summary>
    public static float DefaultOversampling(QuantizationKind kind) => kind switch
    {
        QuantizationKind.Sq8 => 2f,
        QuantizationKind.Binary => 16f,
        QuantizationKind.Pq => PqDefaultOversampling,
        QuantizationKind.Float16 => Float16DefaultOversampling,
        QuantizationKind.RaBitQ => RaBitQDefaultOversampling,
        _ => 1f,
    };

    /// <summary>PQ's default oversampling (see <see cref="DefaultOversampling"/> and docs/tuning.md for the measurement).</summary>
    private const float PqDefaultOversampling = 8f;

    /// <summary>RaBitQ's default oversampling (see docs/tuning.md for the measurement on MiniLM text embeddings).</summary>
    private const float RaBitQDefaultOversampling = 8f;

    /// <summary>Float16's default oversampling (see docs/tuning.md for the measurement).</summary>
    private const float Float16DefaultOversampling = 1f;

    /// <summary>The oversampling a search uses: <see cref="Oversampling"/>, or the kind's default when it is 0.</summary>
    public float EffectiveOversampling => Oversampling > 0 ? Oversampling : DefaultOversampling(Kind);

    /// <summary>Checks the settings for the vector named <paramref name="vectorName"/> of <paramref name="dimension"/> dimensions.</summary>
    /// <exception cref="SchemaException">The kind is not a <see cref="QuantizationKind"/>; the oversampling is NaN, negative,
    /// between 0 and 1, or above <see cref="MaxOversampling"/>; <see cref="PqSubvectors"/> is negative, above the dimension,
    /// does not divide it, or is set for a kind other than PQ.</exception>
    internal void Validate(string vectorName, int dimension)
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new SchemaException(string.Create(CultureInfo.InvariantCulture,
                $"Vector '{vectorName}': quantization kind {(int)Kind} is unknown; use None, Sq8, Binary, Pq, Float16 or RaBitQ."));
        }
        if (PqSubvectors != 0 && Kind != QuantizationKind.Pq)
        {
            throw new SchemaException(string.Create(CultureInfo.InvariantCulture,
                $"Vector '{vectorName}': PqSubvectors {PqSubvectors} is set but the kind is {Kind}; sub-vectors apply only to PQ."));
        }
        if (PqSubvectors < 0 || PqSubvectors > dimension)
        {
            throw new SchemaException(string.Create(CultureInfo.InvariantCulture,
                $"Vector '{vectorName}': PqSubvectors {PqSubvectors} is out of range; use 0 (automatic) or 1 to the dimension, {dimension}."));
        }
        if (PqSubvectors > 0 && dimension % PqSubvectors != 0)
        {
            throw new SchemaException(string.Create(CultureInfo.InvariantCulture,
                $"Vector '{vectorName}': PqSubvectors {PqSubvectors} does not divide the dimension {dimension} into equal sub-vectors; use a divisor of {dimension}, or 0 (automatic: {DefaultPqSubvectors(dimension)})."));
        }
        if (float.IsNaN(Oversampling) || Oversampling < 0 || (Oversampling > 0 && Oversampling < 1) || Oversampling > MaxOversampling)
        {
            throw new SchemaException(string.Create(CultureInfo.InvariantCulture,
                $"Vector '{vectorName}': quantization oversampling {Oversampling} is invalid; use 0 (automatic) or 1 to {MaxOversampling}."));
        }
        if (Kind == QuantizationKind.None && Oversampling != 0)
        {
            throw new SchemaException(string.Create(CultureInfo.InvariantCulture,
                $"Vector '{vectorName}': quantization oversampling {Oversampling} is set but the kind is None; oversampling applies only to quantized vectors."));
        }
    }

    /// <summary>"None", "Sq8 x2", "Binary x16", "Pq x8" or "Pq/96 x8" (sub-vectors when set).</summary>
    public override string ToString() => Kind switch
    {
        QuantizationKind.None => "None",
        QuantizationKind.Pq when PqSubvectors > 0 => string.Create(CultureInfo.InvariantCulture, $"Pq/{PqSubvectors} x{EffectiveOversampling}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Kind} x{EffectiveOversampling}"),
    };
}
