using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// A parsed dense query, from <c>points/query</c> (<c>query</c>, <c>using</c>) or the legacy <c>points/search</c>
/// (<c>vector</c>): what to compare, where, and what to return. Sparse, multi-vector, recommend, discover, order_by
/// and formula queries are refused by name: the engine has none of them yet. Queries with <c>prefetch</c> go to
/// <see cref="FusionQuery"/>.
/// </summary>
internal sealed class QueryRequest
{
    private QueryRequest(JsonElement body, VectorSpec? spec, float[]? vector, RecordId? byId)
    {
        Spec = spec;
        Vector = vector;
        ById = byId;
        Filter = FilterTranslator.Translate(JsonFields.Get(body, "filter"));
        Limit = JsonFields.Int(body, "limit", 10, 1, Collection.MaxSearchResults);
        Offset = JsonFields.Int(body, "offset", 0, 0, Collection.MaxSearchResults - 1);
        ScoreThreshold = JsonFields.Number(body, "score_threshold");
        if (JsonFields.Get(body, "params") is { } parameters)
        {
            int ef = JsonFields.Int(parameters, "hnsw_ef", 0, 0, Collection.MaxSearchResults);
            Ef = ef == 0 ? null : ef;
            Exact = JsonFields.Bool(parameters, "exact", false);
            JsonFields.RejectIfSet(parameters, "quantization", "`params.quantization`");
        }
        Payload = PayloadSelector.Read(body, fallback: false);
        Vectors = VectorSelector.Read(body, fallback: false);
    }

    /// <summary>The vector searched; null when the query has no <c>query</c> (points come back in id order).</summary>
    public VectorSpec? Spec { get; }

    /// <summary>The query vector (normalised for cosine), or null for a query by id or none.</summary>
    public float[]? Vector { get; }

    /// <summary>A query by a stored point's id: its vector is the query and the point itself is left out.</summary>
    public RecordId? ById { get; }

    public Filter? Filter { get; }

    public int Limit { get; }

    public int Offset { get; }

    public double? ScoreThreshold { get; }

    public int? Ef { get; }

    public bool Exact { get; }

    public PayloadSelector Payload { get; }

    public VectorSelector Vectors { get; }

    /// <summary>Reads a <c>points/query</c> request.</summary>
    public static QueryRequest ReadQuery(JsonElement body, CollectionSchema schema)
    {
        JsonFields.RejectIfSet(body, "lookup_from", "`lookup_from`");
        string? vectorName = JsonFields.String(body, "using");
        if (JsonFields.Get(body, "query") is not { } query)
        {
            return new QueryRequest(body, null, null, null);
        }
        if (query.ValueKind == JsonValueKind.Object)
        {
            if (JsonFields.Get(query, "nearest") is { } nearest)
            {
                query = nearest;
            }
            else
            {
                string kind = query.EnumerateObject().Select(p => p.Name).FirstOrDefault() ?? "{}";
                throw kind switch
                {
                    "indices" or "values" => QdrantException.Unsupported("a sparse query vector"),
                    "fusion" or "rrf" => QdrantException.BadRequest("a fusion query needs `prefetch`es to fuse"),
                    _ => QdrantException.Unsupported($"the `{kind}` query"),
                };
            }
        }
        VectorSpec spec = VectorNames.Resolve(schema, vectorName);
        return query.ValueKind is JsonValueKind.Number or JsonValueKind.String
            ? new QueryRequest(body, spec, null, PointIds.Parse(query))
            : new QueryRequest(body, spec, VectorInput.ReadDense(query, spec), null);
    }

    /// <summary>Reads a legacy <c>points/search</c> request: <c>vector</c> is an array or <c>{name, vector}</c>.</summary>
    public static QueryRequest ReadSearch(JsonElement body, CollectionSchema schema)
    {
        JsonElement vector = JsonFields.Get(body, "vector") ?? throw QdrantException.BadRequest("`vector` is required");
        string? name = null;
        if (vector.ValueKind == JsonValueKind.Object)
        {
            name = JsonFields.String(vector, "name");
            vector = JsonFields.Get(vector, "vector") ?? throw QdrantException.BadRequest("a named search vector needs `name` and `vector`");
        }
        VectorSpec spec = VectorNames.Resolve(schema, name);
        return new QueryRequest(body, spec, VectorInput.ReadDense(vector, spec), null);
    }
}
