using System.Runtime.CompilerServices;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace VectLite.VectorData;

public partial class VectLiteCollection<TKey, TRecord> : IKeywordHybridSearchable<TRecord>
{
    /// <summary>The engine text index that serves a data property marked <c>IsFullTextIndexed</c>.</summary>
    internal static string TextIndexName(DataPropertyModel property) => "mevd_" + property.StorageName;

    /// <summary>
    /// Hybrid search: a vector search on the vector property and a BM25 keyword search on the full-text-indexed string
    /// property (<c>IsFullTextIndexed</c>; the engine text index <c>EnsureCollectionExistsAsync</c> creates, English
    /// analyzer), run in the engine over one snapshot and fused by reciprocal rank fusion (k = 60). A record found by
    /// either search can be a hit; one found by both ranks higher.
    /// </summary>
    /// <remarks>
    /// The keywords are OR-ed (each is analyzed like the indexed text: lowercased, stemmed, stop words dropped; query
    /// syntax characters in them are taken literally). The filter applies to both searches. Scores are the fused
    /// scores (the sum of 1 / (60 + rank) over the two lists: higher is better, at most 2/61), and
    /// <see cref="HybridSearchOptions{TRecord}.ScoreThreshold"/> is compared with them. Each search contributes up to
    /// max(50, 2 * (top + skip)) candidates.
    /// </remarks>
    /// <exception cref="InvalidOperationException">No vector property or full-text property can be chosen (none, or several and none named).</exception>
    /// <exception cref="VectorStoreException">The engine refused the search (for example the collection was created without the text index).</exception>
    public async IAsyncEnumerable<VectorSearchResult<TRecord>> HybridSearchAsync<TInput>(
        TInput searchValue,
        ICollection<string> keywords,
        int top,
        HybridSearchOptions<TRecord>? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TInput : notnull
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentNullException.ThrowIfNull(keywords);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new HybridSearchOptions<TRecord>();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Skip);
        bool includeVectors = CheckIncludeVectors(options.IncludeVectors);

        VectorPropertyModel vectorProperty = _model.GetVectorPropertyOrSingle(new VectorSearchOptions<TRecord> { VectorProperty = options.VectorProperty });
        DataPropertyModel textProperty = _model.GetFullTextDataPropertyOrSingle(options.AdditionalProperty);
        Filter? filter = options.Filter is null ? null : new VectLiteFilterTranslator().Translate(options.Filter, _model);
        ReadOnlyMemory<float> vector = await QueryVectorAsync(vectorProperty, searchValue, cancellationToken).ConfigureAwait(false);

        int wanted = Math.Min(top + options.Skip, Collection.MaxSearchResults);
        int limit = Math.Min(Collection.MaxSearchResults, Math.Max(50, 2 * wanted));
        var query = new HybridQuery
        {
            Prefetches =
            [
                new Prefetch(vector) { VectorName = vectorProperty.StorageName, Limit = limit, Exact = vectorProperty.IndexKind == IndexKind.Flat },
                Prefetch.Text(TextIndexName(textProperty), KeywordQuery(keywords), limit),
            ],
            Fusion = FusionMethod.ReciprocalRank(),
            TopK = wanted,
            Filter = filter,
            Namespace = DefaultNamespace,
            IncludePayload = true,
            IncludeVectors = includeVectors,
            ScoreThreshold = options.ScoreThreshold is double threshold ? (float)threshold : null,
        };
        QueryResult result = await RunAsync("HybridSearch", c => Task.FromResult(c.Query(query, cancellationToken))).ConfigureAwait(false);
        foreach (SearchHit hit in result.Hits.Skip(options.Skip))
        {
            yield return new VectorSearchResult<TRecord>(_mapper.FromStorage(hit.Id, hit.Payload, hit.Vectors), hit.Score);
        }
    }

    /// <summary>The keywords as one OR query, with the engine's query syntax (+, -, quotes) neutralised.</summary>
    private static string KeywordQuery(ICollection<string> keywords) =>
        string.Join(' ', keywords.Where(k => k is not null).Select(k => k.Replace('"', ' ').Replace('+', ' ').Replace('-', ' ')));
}
