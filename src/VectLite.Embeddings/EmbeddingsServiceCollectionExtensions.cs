using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VectLite.Embeddings;

/// <summary>Registers the local MiniLM embedding generator in dependency injection.</summary>
public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// Registers one shared <see cref="MiniLmEmbeddingGenerator"/> as the container's
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of string to <see cref="Embedding{T}"/> of float (the
    /// model loads on first use). The VectLite MEVD connector (<c>AddVectLiteVectorStore</c>) finds it there and
    /// embeds string vector properties and search text with it. An embedding generator already registered is kept.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Optional settings (batch size, inference threads).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddMiniLmEmbeddingGenerator(
        this IServiceCollection services,
        Action<MiniLmEmbeddingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new MiniLmEmbeddingOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(_ => new MiniLmEmbeddingGenerator(options));
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp => sp.GetRequiredService<MiniLmEmbeddingGenerator>());
        return services;
    }
}
