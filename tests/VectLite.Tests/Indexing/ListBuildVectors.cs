using VectLite.Indexing;

namespace VectLite.Tests.Indexing;

/// <summary>Build vectors from a list: row i decodes to <c>vectors[i]</c>.</summary>
internal sealed class ListBuildVectors(float[][] vectors) : GraphBuildVectors
{
    internal override int Dimension => vectors[0].Length;

    internal override void Decode(int row, Span<float> destination) => vectors[row].CopyTo(destination);

    internal override void Prefetch(int row)
    {
    }
}
