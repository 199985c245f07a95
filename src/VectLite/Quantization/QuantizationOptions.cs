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
/// <para>Training: the codes need ranges (SQ8) or means (binary) learnt from the data. Until the collection holds
/// <see cref="MinTrainingVectors"/> live vectors, searches walk the graph on the float32 vectors, as without quantization,
/// and <see cref="VectorIndexStats.Quantization"/> says so. At a checkpoint, when more than
/// <see cref="RetrainClippedShare"/> of the values encoded since training fell outside the trained ranges (the data has
/// drifted), the codes are retrained from the live vectors.</para>
/// <para>Reads (<c>Get</c>, <c>Scroll</c>) always return the float32 values written, bit for bit; the codes are a
/// search structure only. The float32 vectors (needed for rescoring and reads) are kept on disk and memory-mapped by
/// default for a quantized vector, so RAM holds the codes (<c>dimension</c> bytes for SQ8, <c>dimension / 8</c> for
/// binary, per vector) and the graph; <see cref="VectorStorage.Ram"/> keeps them in RAM too (see <see cref="VectorStorage"/>).</para>
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

    /// <summary>The largest <see cref="Oversampling"/>.</summary>
    public const float MaxOversampling = 100f;

    /// <summary>No quantization: the graph is searched on the float32 vectors.</summary>
    public static QuantizationOptions None { get; } = new();

    /// <summary>SQ8 with the default oversampling.</summary>
    public static QuantizationOptions Sq8 { get; } = new() { Kind = QuantizationKind.Sq8 };

    /// <summary>Binary with the default oversampling.</summary>
    public static QuantizationOptions Binary { get; } = new() { Kind = QuantizationKind.Binary };

    /// <summary>The kind of codes; <see cref="QuantizationKind.None"/> by default.</summary>
    public QuantizationKind Kind { get; init; }

    /// <summary>
    /// How many candidates per wanted result the code search gathers for rescoring with the full vectors: at least 1,
    /// at most <see cref="MaxOversampling"/>; 0 (the default) picks <see cref="DefaultOversampling"/> for the kind.
    /// </summary>
    public float Oversampling { get; init; }

    /// <summary>
    /// The oversampling used when <see cref="Oversampling"/> is 0: 2 for SQ8 and 16 for binary, from the Fashion-MNIST
    /// measurement (bench/results/quantized-fashion-mnist.md): SQ8 at 1 already matches float32's recall at every ef
    /// there, and 2 leaves a margin for data its ranges fit less well; binary reaches recall@10 0.59, 0.74 and 0.85 at
    /// 4, 8 and 16 on that data (784 pixel values), so 16 is the smallest setting worth having as a default.
    /// </summary>
    public static float DefaultOversampling(QuantizationKind kind) => kind switch
    {
        QuantizationKind.Sq8 => 2f,
        QuantizationKind.Binary => 16f,
        _ => 1f,
    };

    /// <summary>The oversampling a search uses: <see cref="Oversampling"/>, or the kind's default when it is 0.</summary>
    public float EffectiveOversampling => Oversampling > 0 ? Oversampling : DefaultOversampling(Kind);

    /// <summary>Checks the settings for the vector named <paramref name="vectorName"/>.</summary>
    /// <exception cref="SchemaException">The kind is not a <see cref="QuantizationKind"/>, or the oversampling is NaN, negative, between 0 and 1, or above <see cref="MaxOversampling"/>.</exception>
    internal void Validate(string vectorName)
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new SchemaException(string.Create(CultureInfo.InvariantCulture,
                $"Vector '{vectorName}': quantization kind {(int)Kind} is unknown; use None, Sq8 or Binary."));
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

    /// <summary>"None", "Sq8 x2", or "Binary x16".</summary>
    public override string ToString() =>
        Kind == QuantizationKind.None ? "None" : string.Create(CultureInfo.InvariantCulture, $"{Kind} x{EffectiveOversampling}");
}
