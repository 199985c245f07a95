namespace VectLite;

/// <summary>
/// A sparse vector: term ids (<see cref="Indices"/>) with one weight each (<see cref="Values"/>), as SPLADE or BM25-style
/// encoders produce. Two sparse vectors score by their dot product: the sum of weight x weight over the indices both hold.
/// </summary>
/// <remarks>
/// Immutable: the constructor copies its arguments, so a vector can be kept, shared between records and threads, and is
/// returned by reads exactly as written (same entries, same order). The indices need not be sorted. Whether they are
/// distinct and the weights finite is checked when the vector is written or searched (an
/// <see cref="InvalidVectorException"/> naming the sparse vector and the entry), not here, where the vector has no name yet.
/// </remarks>
/// <example>
/// <code>
/// var v = new SparseVector([17, 4031, 9], [0.8f, 1.25f, 0.1f]);
/// collection.Upsert(new Record(1).WithSparseVector("splade", v));
/// </code>
/// </example>
public sealed class SparseVector
{
    private readonly uint[] _indices;
    private readonly float[] _values;

    /// <summary>Creates a sparse vector from parallel lists of indices and weights (copied).</summary>
    /// <exception cref="ArgumentException">The two lists differ in length.</exception>
    public SparseVector(ReadOnlySpan<uint> indices, ReadOnlySpan<float> values)
    {
        if (indices.Length != values.Length)
        {
            throw new ArgumentException($"A sparse vector needs one weight per index: {indices.Length} indices, {values.Length} weights.", nameof(values));
        }
        _indices = indices.ToArray();
        _values = values.ToArray();
    }

    /// <summary>Wraps arrays the engine owns and never changes (decoded from a file or the log).</summary>
    internal SparseVector(uint[] indices, float[] values, bool owned)
    {
        _ = owned;
        _indices = indices;
        _values = values;
    }

    /// <summary>An empty sparse vector (no entries; scores 0 against everything).</summary>
    public static SparseVector Empty { get; } = new([], [], owned: true);

    /// <summary>The indices (term ids), in the order written.</summary>
    public ReadOnlyMemory<uint> Indices => _indices;

    /// <summary>The weights, <c>Values[i]</c> belonging to <c>Indices[i]</c>.</summary>
    public ReadOnlyMemory<float> Values => _values;

    /// <summary>The number of entries.</summary>
    public int Count => _indices.Length;

    internal uint[] IndexArray => _indices;

    internal float[] ValueArray => _values;

    /// <summary>"3 entries".</summary>
    public override string ToString() => $"{Count} entries";
}
