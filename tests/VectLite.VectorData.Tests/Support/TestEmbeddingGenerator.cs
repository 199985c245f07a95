using Microsoft.Extensions.AI;

namespace VectLite.VectorData.Tests.Support;

/// <summary>
/// A deterministic embedding generator: each known word maps to a fixed 4-d vector, so search order is predictable.
/// Counts its calls so tests can check batching.
/// </summary>
internal sealed class TestEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public static readonly Dictionary<string, float[]> Vectors = new(StringComparer.Ordinal)
    {
        ["apple"] = [1, 0, 0, 0],
        ["banana"] = [0, 1, 0, 0],
        ["cherry"] = [0, 0, 1, 0],
        ["apple pie"] = [0.9f, 0.1f, 0, 0],
    };

    public int Calls { get; private set; }

    public List<string> Inputs { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        Calls++;
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (string value in values)
        {
            Inputs.Add(value);
            embeddings.Add(new Embedding<float>(Vectors.TryGetValue(value, out float[]? v) ? v : [0, 0, 0, 1]));
        }
        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
