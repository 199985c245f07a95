using System.Diagnostics.Contracts;

namespace VectLite;

/// <summary>
/// What a collection stores: its named dense vectors, each with a dimension and metric, and its HNSW settings. A schema
/// with no vectors makes a metadata-only collection (records with ids and payloads, filterable, not searchable by vector).
/// </summary>
/// <remarks>
/// Immutable: <see cref="AddVector(string, int, Metric)"/> and <see cref="WithHnsw"/> return a new schema and leave the one they are called on
/// as it was, so a schema can be shared, kept in a static field, or passed to several collections safely.
/// </remarks>
/// <example>
/// <code>
/// var schema = new CollectionSchema().AddVector("text", 384, Metric.Cosine).AddVector("image", 512, Metric.Dot);
/// var single = CollectionSchema.SingleVector(768);          // one vector named "default", cosine
/// var precise = single.WithHnsw(HnswOptions.HighRecall);    // single is unchanged
/// </code>
/// </example>
public sealed class CollectionSchema
{
    /// <summary>The name <see cref="SingleVector"/> gives its vector, and the one a record's unnamed vector maps to.</summary>
    public const string DefaultVectorName = "default";

    /// <summary>The most named vectors one collection may have.</summary>
    public const int MaxVectors = 64;

    private readonly VectorSpec[] _vectors;

    /// <summary>Creates an empty schema: no vectors (a metadata-only collection until vectors are added), default HNSW settings.</summary>
    public CollectionSchema()
        : this([], HnswOptions.Default)
    {
    }

    private CollectionSchema(VectorSpec[] vectors, HnswOptions hnsw)
    {
        _vectors = vectors;
        Hnsw = hnsw;
    }

    /// <summary>The named vectors, in declaration order (the order is part of the stored format).</summary>
    public IReadOnlyList<VectorSpec> Vectors => _vectors;

    /// <summary>
    /// How the HNSW index of each named vector is built and searched; <see cref="HnswOptions.Default"/> unless set. Its
    /// structural settings are fixed when the collection is created; its runtime settings change on a live collection
    /// through <see cref="Collection.UpdateOptions"/> (see <see cref="HnswOptions"/>).
    /// </summary>
    public HnswOptions Hnsw { get; }

    /// <summary>
    /// Returns a new schema with these HNSW options (a preset such as <see cref="HnswOptions.HighRecall"/>, or your own)
    /// and the same vectors. This schema is not changed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    [Pure]
    public CollectionSchema WithHnsw(HnswOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new CollectionSchema(_vectors, options);
    }

    /// <summary>A schema with one vector named <paramref name="name"/>.</summary>
    public static CollectionSchema SingleVector(int dimension, Metric metric = Metric.Cosine, string name = DefaultVectorName) =>
        new CollectionSchema().AddVector(name, dimension, metric);

    /// <summary>A schema with no vectors: a metadata-only collection.</summary>
    public static CollectionSchema MetadataOnly() => new();

    /// <summary>Returns a new schema with this schema's vectors and one more, and the same HNSW options. This schema is not changed.</summary>
    /// <exception cref="InvalidNameException">The name breaks the naming rules.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is outside 1 to <see cref="VectorSpec.MaxDimension"/>.</exception>
    /// <exception cref="SchemaException">The name is taken, or the schema already has <see cref="MaxVectors"/> vectors.</exception>
    [Pure]
    public CollectionSchema AddVector(string name, int dimension, Metric metric = Metric.Cosine) =>
        AddVector(name, dimension, metric, QuantizationOptions.None);

    /// <summary>
    /// Returns a new schema with this schema's vectors and one more, searched on the codes <paramref name="quantization"/>
    /// describes (then rescored with the full vectors), and the same HNSW options. This schema is not changed.
    /// </summary>
    /// <example><c>schema.AddVector("image", 784, Metric.L2, QuantizationOptions.Sq8)</c></example>
    /// <exception cref="InvalidNameException">The name breaks the naming rules.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is outside 1 to <see cref="VectorSpec.MaxDimension"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="quantization"/> is null.</exception>
    /// <exception cref="SchemaException">The name is taken, the schema already has <see cref="MaxVectors"/> vectors, or a
    /// quantization setting is invalid (the message names it).</exception>
    [Pure]
    public CollectionSchema AddVector(string name, int dimension, Metric metric, QuantizationOptions quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        Names.Validate("vector", name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, VectorSpec.MaxDimension);
        if (!Enum.IsDefined(metric))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric.");
        }
        if (FindVector(name) >= 0)
        {
            throw new SchemaException($"The schema already has a vector named '{name}'.");
        }
        if (_vectors.Length == MaxVectors)
        {
            throw new SchemaException($"A collection may have at most {MaxVectors} named vectors.");
        }
        quantization.Validate(name);
        return new CollectionSchema([.. _vectors, new VectorSpec(name, dimension, metric) { Quantization = quantization }], Hnsw);
    }

    /// <summary>The ordinal of the named vector, or -1.</summary>
    internal int FindVector(string name)
    {
        for (int i = 0; i < _vectors.Length; i++)
        {
            if (string.Equals(_vectors[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>"text: 384-d Cosine, image: 512-d Dot", or "no vectors".</summary>
    public override string ToString() =>
        _vectors.Length == 0 ? "no vectors" : string.Join(", ", _vectors.Select(v => v.Quantization.Kind == QuantizationKind.None
            ? $"{v.Name}: {v.Dimension}-d {v.Metric}"
            : $"{v.Name}: {v.Dimension}-d {v.Metric} {v.Quantization}"));
}
