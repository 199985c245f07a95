namespace VectLite.Indexing;

/// <summary>
/// The vectors a graph is built on when its float32 vectors live on disk: each row's quantized code, decoded
/// (<c>Quantization.DecodedCodeVectors</c>). An insert scores a few thousand rows; on the float32 vectors each would be a
/// random read of the vectors file, which for a collection larger than the page cache is a disk read each, and a build
/// then runs at the disk's random-read rate. The codes are in RAM. Qdrant builds its HNSW on quantized vectors the same
/// way; searches then walk on the codes too and rescore on the float32 vectors, so the graph's links are chosen in the
/// space the walk scores in.
/// </summary>
/// <remarks>Implementations are safe to call from many insert threads at once.</remarks>
internal abstract class GraphBuildVectors
{
    /// <summary>The length of a decoded vector: the graph's dimension.</summary>
    internal abstract int Dimension { get; }

    /// <summary>
    /// Writes row <paramref name="row"/>'s decoded vector to <paramref name="destination"/> (<see cref="Dimension"/>
    /// floats), in the form the arena stores vectors (for cosine, any length: the scorers normalise). The row is one the
    /// graph holds or is inserting; its code was written before it reached the graph.
    /// </summary>
    internal abstract void Decode(int row, Span<float> destination);

    /// <summary>Starts loading what <see cref="Decode"/> will read for <paramref name="row"/> (a hint).</summary>
    internal abstract void Prefetch(int row);
}
