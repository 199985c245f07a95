namespace VectLite;

/// <summary>
/// How a named vector is kept for graph traversal: as the caller's float32 values, or as compact codes that the HNSW
/// search walks on before it rescores a shortlist with the full vectors (see <see cref="QuantizationOptions"/>).
/// </summary>
/// <remarks>The numeric values are stored in checkpoint manifests; do not renumber them.</remarks>
public enum QuantizationKind
{
    /// <summary>No codes: the graph is searched on the float32 vectors (the default).</summary>
    None = 0,

    /// <summary>
    /// Scalar 8-bit: each component becomes one byte over a per-dimension [min, max] range trained from the data
    /// (4x smaller than float32). Searched with asymmetric distances (float query against byte codes).
    /// </summary>
    Sq8 = 1,

    /// <summary>
    /// Binary: one bit per component, the sign of the component minus its trained mean, plus two floats per vector (a
    /// scale and a norm): about 32x smaller than float32 at high dimensions. Searched asymmetrically (the float query
    /// against the bits, through a per-query table); needs more oversampling than <see cref="Sq8"/> for the same recall.
    /// </summary>
    Binary = 2,

    /// <summary>
    /// Product quantization: the vector is cut into <see cref="QuantizationOptions.PqSubvectors"/> equal sub-vectors, and
    /// each becomes the one-byte index of its nearest centroid among 256 learnt by k-means for that sub-space (16x smaller
    /// than float32 at the default of one sub-vector per 4 dimensions). Searched with asymmetric distances: a per-query
    /// table of the distance from each query sub-vector to each centroid, summed over a code's bytes.
    /// </summary>
    Pq = 3,

    /// <summary>
    /// IEEE 754 half precision (<see cref="System.Half"/>): each component as 16 bits, 2x smaller than float32, with about
    /// three significant decimal digits. Needs no training: rows are encoded as they are written.
    /// </summary>
    Float16 = 4,

    /// <summary>
    /// RaBitQ (Gao and Long, SIGMOD 2024): one bit per component of <c>x - centroid</c> after a seeded random orthogonal
    /// rotation (the dimension padded to a multiple of 64), plus two floats per vector, so the same size as
    /// <see cref="Binary"/>. The rotation spreads every vector's length evenly over the coordinates and the per-vector
    /// correction factor makes the inner-product estimate unbiased, so at the same size and oversampling it recalls more
    /// than plain binary on data whose variance sits in few dimensions (text embeddings). Searched asymmetrically (the
    /// rotated float query against the bits, through a per-query table).
    /// </summary>
    RaBitQ = 5,
}
