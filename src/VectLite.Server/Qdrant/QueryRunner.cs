using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>Runs a <see cref="QueryRequest"/> on a collection: its scored points, for either protocol to write.</summary>
internal static class QueryRunner
{
    /// <summary>
    /// Runs a <c>points/query</c> request (the REST body, or a gRPC <c>QueryPoints</c> read into that form): with
    /// <c>prefetch</c> a fused <see cref="HybridQuery"/>, otherwise a single search.
    /// </summary>
    public static ScoredPoints RunQuery(Collection collection, JsonElement body) =>
        JsonFields.Get(body, "prefetch") is not null
            ? FusionQuery.Run(collection, body)
            : Run(collection, QueryRequest.ReadQuery(body, collection.Schema));

    /// <summary>Runs the query.</summary>
    public static ScoredPoints Run(Collection collection, QueryRequest query)
    {
        CollectionSchema schema = collection.Schema;
        if (query.Spec is null)
        {
            return Unranked(collection, query, schema);
        }
        VectorSpec spec = query.Spec;
        float[] vector;
        bool excludeSelf = query.ById is not null;
        if (query.ById is { } id)
        {
            Record source = collection.Get(id) ?? throw QdrantException.PointNotFound(PointIds.Describe(id));
            vector = source.Vectors.TryGetValue(spec.Name, out ReadOnlyMemory<float> stored)
                ? stored.ToArray()
                : throw QdrantException.BadRequest($"point {PointIds.Describe(id)} has no vector `{spec.Name}`");
        }
        else
        {
            vector = query.Vector!;
        }
        // A query by id asks for one more hit so the excluded point can be dropped without leaving the page short.
        int wanted = query.Offset + query.Limit + (excludeSelf ? 1 : 0);
        IReadOnlyList<SearchHit> hits = collection.Search(vector, new SearchOptions
        {
            TopK = Math.Min(wanted, Collection.MaxSearchResults),
            VectorName = spec.Name,
            Filter = query.Filter,
            IncludePayload = query.Payload.Enabled,
            IncludeVectors = query.Vectors.Enabled,
            Ef = query.Ef is { } ef ? Math.Max(ef, Math.Min(wanted, Collection.MaxSearchResults)) : null,
            Exact = query.Exact,
            ScoreThreshold = query.ScoreThreshold is { } t ? Distances.FromQdrantThreshold(spec.Metric, t) : null,
        });
        List<ScoredPoint> page = hits.Where(h => !(excludeSelf && h.Id == query.ById!.Value)).Skip(query.Offset).Take(query.Limit)
            .Select(h => new ScoredPoint(h.Id, Distances.ToQdrant(spec.Metric, h.Score), h.Payload, h.Vectors)).ToList();
        return new ScoredPoints(page, schema, query.Payload, query.Vectors);
    }

    /// <summary>A query without <c>query</c>: the points matching the filter in id order, score 0, as Qdrant.</summary>
    private static ScoredPoints Unranked(Collection collection, QueryRequest query, CollectionSchema schema)
    {
        ScrollPage page = collection.Scroll(new ScrollOptions
        {
            Limit = Math.Min(query.Offset + query.Limit, Collection.MaxSearchResults),
            Filter = query.Filter,
            IncludePayload = query.Payload.Enabled,
            IncludeVectors = query.Vectors.Enabled,
        });
        List<ScoredPoint> points = page.Records.Skip(query.Offset)
            .Select(r => new ScoredPoint(r.Id, 0, r.Payload, query.Vectors.Enabled ? r.Vectors : null)).ToList();
        return new ScoredPoints(points, schema, query.Payload, query.Vectors);
    }
}
