using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace VectLite.VectorData;

public partial class VectLiteCollection<TKey, TRecord>
{
    /// <summary>
    /// Finds the <paramref name="top"/> records nearest to <paramref name="searchValue"/>: a vector
    /// (<see cref="ReadOnlyMemory{T}"/>, <see cref="float"/>[], <see cref="Embedding{T}"/> of float), or any value the
    /// vector property's embedding generator accepts (a string, usually). Filter, skip, top-k and the score threshold
    /// all run inside the engine: an exact scan for a vector property with index kind Flat, otherwise the engine's
    /// choice between its HNSW graph (approximate) and an exact scan (small collections, selective filters).
    /// </summary>
    /// <remarks>
    /// Scores follow the distance function: higher is closer for CosineSimilarity and DotProductSimilarity, lower is
    /// closer for the distances and NegativeDotProductSimilarity; results come best first either way. A score
    /// threshold keeps scores at or above it for similarities and at or below it for distances.
    /// <see cref="Collection.MaxSearchResults"/> bounds <paramref name="top"/> plus the skip.
    /// </remarks>
    /// <inheritdoc/>
    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(
        TInput searchValue,
        int top,
        VectorSearchOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new VectorSearchOptions<TRecord>();
        bool includeVectors = CheckIncludeVectors(options.IncludeVectors);

        VectorPropertyModel vectorProperty = _model.GetVectorPropertyOrSingle(options);
        Filter? filter = options.Filter is null ? null : new VectLiteFilterTranslator().Translate(options.Filter, _model);
        string? distanceFunction = vectorProperty.DistanceFunction;

        float? engineThreshold = null;
        if (options.ScoreThreshold is double threshold)
        {
            double mapped = VectLiteDistanceMapping.ToEngineThreshold(distanceFunction, threshold);
            if (double.IsNaN(mapped))
            {
                yield break; // no score can pass, e.g. a negative squared distance
            }
            // One float step looser than the exact bound: rounding must not drop a hit on the boundary. The exact test
            // on the MEVD score below decides.
            engineThreshold = MathF.BitDecrement((float)mapped);
        }

        ReadOnlyMemory<float> query = await QueryVectorAsync(vectorProperty, searchValue, cancellationToken).ConfigureAwait(false);

        var search = new SearchOptions
        {
            TopK = top,
            Offset = options.Skip,
            VectorName = vectorProperty.StorageName,
            Namespace = DefaultNamespace,
            Filter = filter,
            IncludePayload = true,
            IncludeVectors = includeVectors,
            ScoreThreshold = engineThreshold,
            // Flat asks for brute force; otherwise the engine chooses between its HNSW graph and an exact scan.
            Exact = vectorProperty.IndexKind == IndexKind.Flat,
        };
        IReadOnlyList<SearchHit> hits = await RunAsync("Search", c => c.SearchAsync(query, search, cancellationToken)).ConfigureAwait(false);

        foreach (SearchHit hit in hits)
        {
            double score = VectLiteDistanceMapping.ToScore(distanceFunction, hit.Score);
            if (options.ScoreThreshold is double exact && !VectLiteDistanceMapping.Passes(distanceFunction, score, exact))
            {
                yield break; // hits come best first, so none after this one passes either
            }
            IReadOnlyDictionary<string, ReadOnlyMemory<float>>? vectors = hit.Vectors;
            yield return new VectorSearchResult<TRecord>(_mapper.FromStorage(hit.Id, hit.Payload, vectors), score);
        }
    }

    /// <summary>The query vector for <paramref name="searchValue"/>: the value itself, or what the property's embedding generator makes of it.</summary>
    private static async ValueTask<ReadOnlyMemory<float>> QueryVectorAsync<TInput>(VectorPropertyModel vectorProperty, TInput searchValue, CancellationToken cancellationToken)
        where TInput : notnull
    {
        ReadOnlyMemory<float> query = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory,
            float[] array => array,
            Embedding<float> embedding => embedding.Vector,
            _ when vectorProperty.EmbeddingGenerationDispatcher is not null =>
                ((Embedding<float>)await vectorProperty.GenerateEmbeddingAsync(searchValue, cancellationToken).ConfigureAwait(false)).Vector,
            _ => vectorProperty.EmbeddingGenerator is null
                ? throw new NotSupportedException(VectorDataStrings.InvalidSearchInputAndNoEmbeddingGeneratorWasConfigured(searchValue.GetType(), VectLiteModelBuilder.SupportedVectorTypes))
                : throw new InvalidOperationException(VectorDataStrings.IncompatibleEmbeddingGeneratorWasConfiguredForInputType(typeof(TInput), vectorProperty.EmbeddingGenerator.GetType())),
        };
        cancellationToken.ThrowIfCancellationRequested();
        return query;
    }
}
