namespace VectLite;

/// <summary>One named dense vector of a collection's schema.</summary>
/// <param name="Name">The vector's name: 1 to 64 characters of letters, digits, '_', '-' or '.', starting with a letter or digit.</param>
/// <param name="Dimension">The number of components, 1 to <see cref="MaxDimension"/>.</param>
/// <param name="Metric">How vectors are compared; see <see cref="VectLite.Metric"/> for score direction.</param>
public sealed record VectorSpec(string Name, int Dimension, Metric Metric)
{
    /// <summary>The largest supported dimension.</summary>
    public const int MaxDimension = 65536;

    /// <summary>
    /// The codes the HNSW search walks on before rescoring with the full vectors; <see cref="QuantizationOptions.None"/>
    /// (float32 only) by default. Set through <see cref="CollectionSchema.AddVector(string, int, Metric, QuantizationOptions)"/>.
    /// </summary>
    public QuantizationOptions Quantization { get; init; } = QuantizationOptions.None;

    /// <summary>
    /// Where the float32 vectors live: <see cref="VectorStorage.Auto"/> (the default: on disk when quantized, in RAM
    /// otherwise), <see cref="VectorStorage.Ram"/> or <see cref="VectorStorage.Disk"/>. Set through
    /// <see cref="CollectionSchema.AddVector(string, int, Metric, QuantizationOptions, VectorStorage)"/>.
    /// </summary>
    public VectorStorage Storage { get; init; }

    /// <summary>
    /// Whether the float32 vectors stay in RAM: <see cref="Storage"/> with <see cref="VectorStorage.Auto"/> resolved
    /// (false for a quantized vector, true otherwise). False means the checkpointed rows are memory-mapped from disk.
    /// </summary>
    public bool VectorsInRam => Storage switch
    {
        VectorStorage.Ram => true,
        VectorStorage.Disk => false,
        _ => Quantization.Kind == QuantizationKind.None,
    };
}
