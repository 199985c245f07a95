using System.Diagnostics.Contracts;

namespace VectLite;

/// <summary>
/// What a collection stores: its named dense vectors, each with a dimension and metric, its named sparse vector spaces
/// (<see cref="AddSparseVector"/>), and its HNSW settings. A schema
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
    private readonly SparseVectorSpec[] _sparse;
    private readonly MultiVectorSpec[] _multi;

    /// <summary>Creates an empty schema: no vectors (a metadata-only collection until vectors are added), default HNSW settings.</summary>
    public CollectionSchema()
        : this([], [], [], HnswOptions.Default)
    {
    }

    private CollectionSchema(VectorSpec[] vectors, SparseVectorSpec[] sparse, MultiVectorSpec[] multi, HnswOptions hnsw)
    {
        _vectors = vectors;
        _sparse = sparse;
        _multi = multi;
        Hnsw = hnsw;
    }

    /// <summary>The named vectors, in declaration order (the order is part of the stored format).</summary>
    public IReadOnlyList<VectorSpec> Vectors => _vectors;

    /// <summary>The named sparse vector spaces, in declaration order (the order is part of the stored format).</summary>
    public IReadOnlyList<SparseVectorSpec> SparseVectors => _sparse;

    /// <summary>The named multi-vector spaces, in declaration order (the order is part of the stored format).</summary>
    public IReadOnlyList<MultiVectorSpec> MultiVectors => _multi;

    /// <summary>Whether <paramref name="name"/> is taken by a dense vector, a sparse space or a multi-vector space.</summary>
    private bool NameTaken(string name) => FindVector(name) >= 0 || FindSparseVector(name) >= 0 || FindMultiVector(name) >= 0;

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
        return new CollectionSchema(_vectors, _sparse, _multi, options);
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
    public CollectionSchema AddVector(string name, int dimension, Metric metric, QuantizationOptions quantization) =>
        AddVector(name, dimension, metric, quantization, VectorStorage.Auto);

    /// <summary>
    /// Returns a new schema with this schema's vectors and one more, searched on the codes <paramref name="quantization"/>
    /// describes, with its float32 vectors kept where <paramref name="storage"/> says (in RAM, or memory-mapped from the
    /// checkpoint files; see <see cref="VectorStorage"/>), and the same HNSW options. This schema is not changed.
    /// </summary>
    /// <example><c>schema.AddVector("image", 784, Metric.L2, QuantizationOptions.Sq8, VectorStorage.Ram)</c> keeps the
    /// float vectors in RAM beside the codes; <c>VectorStorage.Auto</c> would put them on disk.</example>
    /// <exception cref="InvalidNameException">The name breaks the naming rules.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is outside 1 to <see cref="VectorSpec.MaxDimension"/>.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="quantization"/> is null.</exception>
    /// <exception cref="SchemaException">The name is taken, the schema already has <see cref="MaxVectors"/> vectors, a
    /// quantization setting is invalid, or <paramref name="storage"/> is not a <see cref="VectorStorage"/> value (the
    /// message names it).</exception>
    [Pure]
    public CollectionSchema AddVector(string name, int dimension, Metric metric, QuantizationOptions quantization, VectorStorage storage)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        Names.Validate("vector", name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, VectorSpec.MaxDimension);
        if (!Enum.IsDefined(metric))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric.");
        }
        if (NameTaken(name))
        {
            throw new SchemaException($"The schema already has a vector named '{name}'.");
        }
        if (_vectors.Length == MaxVectors)
        {
            throw new SchemaException($"A collection may have at most {MaxVectors} named vectors.");
        }
        quantization.Validate(name, dimension);
        if (!Enum.IsDefined(storage))
        {
            throw new SchemaException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Vector '{name}': vector storage {(int)storage} is unknown; use Auto, Ram or Disk."));
        }
        return new CollectionSchema([.. _vectors, new VectorSpec(name, dimension, metric) { Quantization = quantization, Storage = storage }], _sparse, _multi, Hnsw);
    }

    /// <summary>
    /// Returns a new schema with this schema's vectors and one more sparse vector space, and the same HNSW options. This
    /// schema is not changed. Records may carry a vector in the space or not; each space has its own inverted index,
    /// searched by dot product (<see cref="Collection.SearchSparse"/>, <see cref="Prefetch.Sparse"/>).
    /// </summary>
    /// <param name="name">The space's name; distinct from every dense and sparse name of the schema.</param>
    /// <param name="modifier">How query weights are adjusted: <see cref="SparseModifier.Idf"/> multiplies each by the term's IDF.</param>
    /// <exception cref="InvalidNameException">The name breaks the naming rules.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The modifier is not a defined value.</exception>
    /// <exception cref="SchemaException">The name is taken, or the schema already has <see cref="MaxVectors"/> sparse spaces.</exception>
    [Pure]
    public CollectionSchema AddSparseVector(string name, SparseModifier modifier = SparseModifier.None)
    {
        Names.Validate("vector", name);
        if (!Enum.IsDefined(modifier))
        {
            throw new ArgumentOutOfRangeException(nameof(modifier), modifier, "Unknown sparse modifier.");
        }
        if (NameTaken(name))
        {
            throw new SchemaException($"The schema already has a vector named '{name}'.");
        }
        if (_sparse.Length == MaxVectors)
        {
            throw new SchemaException($"A collection may have at most {MaxVectors} sparse vector spaces.");
        }
        return new CollectionSchema(_vectors, [.. _sparse, new SparseVectorSpec(name, modifier)], _multi, Hnsw);
    }

    /// <summary>
    /// Returns a new schema with this schema's vectors and one more multi-vector space (ColBERT-style late interaction),
    /// and the same HNSW options. This schema is not changed. Records may carry a matrix of token vectors in the space or
    /// not; <see cref="Collection.SearchMultiVector"/> scores them by MaxSim, with candidates found through an HNSW index
    /// over the token vectors.
    /// </summary>
    /// <param name="name">The space's name; distinct from every other vector name of the schema.</param>
    /// <param name="dimension">The dimension of each token vector.</param>
    /// <param name="metric">The token similarity: <see cref="Metric.Cosine"/> (default) or <see cref="Metric.Dot"/>.</param>
    /// <exception cref="InvalidNameException">The name breaks the naming rules.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The dimension is out of range, or the metric is not cosine or dot.</exception>
    /// <exception cref="SchemaException">The name is taken, or the schema already has <see cref="MaxVectors"/> multi-vector spaces.</exception>
    [Pure]
    public CollectionSchema AddMultiVector(string name, int dimension, Metric metric = Metric.Cosine)
    {
        Names.Validate("vector", name);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, VectorSpec.MaxDimension);
        if (metric is not (Metric.Cosine or Metric.Dot))
        {
            throw new ArgumentOutOfRangeException(nameof(metric), metric, "MaxSim needs a similarity: a multi-vector space is Cosine or Dot.");
        }
        if (NameTaken(name))
        {
            throw new SchemaException($"The schema already has a vector named '{name}'.");
        }
        if (_multi.Length == MaxVectors)
        {
            throw new SchemaException($"A collection may have at most {MaxVectors} multi-vector spaces.");
        }
        return new CollectionSchema(_vectors, _sparse, [.. _multi, new MultiVectorSpec(name, dimension, metric)], Hnsw);
    }

    /// <summary>The ordinal of the named multi-vector space, or -1.</summary>
    internal int FindMultiVector(string name)
    {
        for (int i = 0; i < _multi.Length; i++)
        {
            if (string.Equals(_multi[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Whether the schema has sparse or multi-vector spaces: its manifest and records files are format version 2.</summary>
    internal bool HasExtendedSpaces => _sparse.Length > 0 || _multi.Length > 0;

    /// <summary>The ordinal of the named sparse vector space, or -1.</summary>
    internal int FindSparseVector(string name)
    {
        for (int i = 0; i < _sparse.Length; i++)
        {
            if (string.Equals(_sparse[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }
        return -1;
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

    /// <summary>"text: 384-d Cosine, image: 512-d Dot, splade: sparse", or "no vectors".</summary>
    public override string ToString() =>
        _vectors.Length + _sparse.Length + _multi.Length == 0 ? "no vectors" : string.Join(", ", _vectors.Select(v => (v.Quantization.Kind == QuantizationKind.None
            ? $"{v.Name}: {v.Dimension}-d {v.Metric}"
            : $"{v.Name}: {v.Dimension}-d {v.Metric} {v.Quantization}") + (v.Storage == VectorStorage.Auto ? "" : $" vectors in {v.Storage}"))
            .Concat(_sparse.Select(s => s.Modifier == SparseModifier.None ? $"{s.Name}: sparse" : $"{s.Name}: sparse {s.Modifier}"))
            .Concat(_multi.Select(m => $"{m.Name}: multi-vector {m.Dimension}-d {m.Metric}")));
}
