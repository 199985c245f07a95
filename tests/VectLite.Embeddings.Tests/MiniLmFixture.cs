namespace VectLite.Embeddings.Tests;

/// <summary>One loaded model (about 90 MB) and one reference pipeline shared by a test class.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public MiniLmEmbeddingGenerator Generator { get; } = new();

    internal ReferenceMiniLm Reference { get; } = new();

    public void Dispose()
    {
        Generator.Dispose();
        Reference.Dispose();
    }
}
