using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// A Qdrant hybrid query: dense <c>prefetch</c>es fused by <c>{"fusion": "rrf" | "dbsf"}</c> or <c>{"rrf": {k, weights}}</c>,
/// run as one VectLite <see cref="HybridQuery"/> (every prefetch over one snapshot).
/// </summary>
/// <remarks>
/// Qdrant's RRF scores a point by the sum of 1 / (k + rank) with ranks from 0 and k = 2 by default; VectLite's ranks
/// start at 1, so Qdrant's k is VectLite's k + 1 and the scores are identical. DBSF is the same definition in both
/// (mean +- 3 standard deviations mapped to [0, 1], summed). The top-level <c>filter</c> applies to every prefetch, as
/// in Qdrant; <c>score_threshold</c> applies to the fused score. A prefetch must be a dense query (a vector, or
/// <c>{nearest}</c>): nested prefetches, sparse prefetches and a prefetch without a query are refused.
/// </remarks>
internal static class FusionQuery
{
    /// <summary>Qdrant's default RRF k.</summary>
    private const int QdrantDefaultRrfK = 2;

    /// <summary>Runs the request.</summary>
    public static ScoredPoints Run(Collection collection, JsonElement body)
    {
        CollectionSchema schema = collection.Schema;
        JsonElement query = JsonFields.Get(body, "query") ?? throw QdrantException.Unsupported("`prefetch` without a fusion `query`");
        JsonFields.RejectIfSet(body, "lookup_from", "`lookup_from`");
        (FusionMethod fusion, IReadOnlyList<float>? weights) = ReadFusion(query);
        JsonElement prefetchArray = JsonFields.Get(body, "prefetch")!.Value;
        var prefetchElements = prefetchArray.ValueKind == JsonValueKind.Array ? prefetchArray.EnumerateArray().ToList() : [prefetchArray];
        if (prefetchElements.Count > HybridQuery.MaxPrefetches)
        {
            throw QdrantException.BadRequest($"at most {HybridQuery.MaxPrefetches} prefetches, got {prefetchElements.Count}");
        }
        if (weights is not null && weights.Count != prefetchElements.Count)
        {
            throw QdrantException.BadRequest($"`rrf.weights` has {weights.Count} weights for {prefetchElements.Count} prefetches");
        }
        var prefetches = new List<Prefetch>(prefetchElements.Count);
        for (int i = 0; i < prefetchElements.Count; i++)
        {
            prefetches.Add(ReadPrefetch(prefetchElements[i], schema, weights?[i] ?? 1f));
        }
        int limit = JsonFields.Int(body, "limit", 10, 1, Collection.MaxSearchResults);
        int offset = JsonFields.Int(body, "offset", 0, 0, Collection.MaxSearchResults - limit);
        var payload = PayloadSelector.Read(body, fallback: false);
        var vectors = VectorSelector.Read(body, fallback: false);
        double? threshold = JsonFields.Number(body, "score_threshold");
        QueryResult result = collection.Query(new HybridQuery
        {
            Prefetches = prefetches,
            Fusion = fusion,
            TopK = offset + limit,
            Filter = FilterTranslator.Translate(JsonFields.Get(body, "filter")),
            ScoreThreshold = threshold is { } t ? (float)t : null,
            IncludePayload = payload.Enabled,
            IncludeVectors = vectors.Enabled,
        });
        // Fused scores are higher-is-better whatever the prefetches' metrics: no conversion.
        List<ScoredPoint> page = result.Hits.Skip(offset).Take(limit).Select(h => new ScoredPoint(h.Id, h.Score, h.Payload, h.Vectors)).ToList();
        return new ScoredPoints(page, schema, payload, vectors);
    }

    private static (FusionMethod Fusion, IReadOnlyList<float>? Weights) ReadFusion(JsonElement query)
    {
        if (query.ValueKind == JsonValueKind.Object && JsonFields.String(query, "fusion") is { } name)
        {
            return name switch
            {
                "rrf" => (FusionMethod.ReciprocalRank(QdrantDefaultRrfK - 1), null),
                "dbsf" => (FusionMethod.DistributionBased(), null),
                _ => throw QdrantException.BadRequest($"unknown fusion `{name}`: expected rrf or dbsf"),
            };
        }
        if (query.ValueKind == JsonValueKind.Object && JsonFields.Get(query, "rrf") is { } rrf)
        {
            int k = JsonFields.Int(rrf, "k", QdrantDefaultRrfK, 1, 1_000_000);
            List<float>? weights = null;
            if (JsonFields.Array(rrf, "weights") is { } array)
            {
                weights = [];
                foreach (JsonElement weight in array)
                {
                    float w = weight.ValueKind == JsonValueKind.Number ? weight.GetSingle() : float.NaN;
                    weights.Add(w > 0 && float.IsFinite(w) ? w : throw QdrantException.BadRequest("`rrf.weights` must be positive numbers"));
                }
            }
            return (FusionMethod.ReciprocalRank(k - 1), weights);
        }
        throw QdrantException.Unsupported("a `prefetch` whose `query` is not a fusion (`{\"fusion\": \"rrf\" | \"dbsf\"}` or `{\"rrf\": {...}}`)");
    }

    private static Prefetch ReadPrefetch(JsonElement prefetch, CollectionSchema schema, float weight)
    {
        if (prefetch.ValueKind != JsonValueKind.Object)
        {
            throw QdrantException.BadRequest("a prefetch must be an object");
        }
        JsonFields.RejectIfSet(prefetch, "prefetch", "a nested `prefetch`");
        JsonFields.RejectIfSet(prefetch, "lookup_from", "`lookup_from`");
        JsonElement query = JsonFields.Get(prefetch, "query") ?? throw QdrantException.Unsupported("a prefetch without a `query`");
        if (query.ValueKind == JsonValueKind.Object)
        {
            query = JsonFields.Get(query, "nearest") ?? throw QdrantException.Unsupported("a prefetch whose query is not a dense vector");
        }
        VectorSpec spec = VectorNames.Resolve(schema, JsonFields.String(prefetch, "using"));
        int? ef = null;
        bool exact = false;
        if (JsonFields.Get(prefetch, "params") is { } parameters)
        {
            int hnswEf = JsonFields.Int(parameters, "hnsw_ef", 0, 0, Collection.MaxSearchResults);
            ef = hnswEf == 0 ? null : hnswEf;
            exact = JsonFields.Bool(parameters, "exact", false);
        }
        JsonFields.RejectIfSet(prefetch, "score_threshold", "`score_threshold` inside a prefetch");
        return new Prefetch(VectorInput.ReadDense(query, spec))
        {
            VectorName = spec.Name,
            Limit = JsonFields.Int(prefetch, "limit", 10, 1, Collection.MaxSearchResults),
            Filter = FilterTranslator.Translate(JsonFields.Get(prefetch, "filter")),
            Weight = weight,
            Ef = ef,
            Exact = exact,
        };
    }
}
