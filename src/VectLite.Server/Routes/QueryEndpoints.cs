using System.Text.Json;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;

namespace VectLite.Server.Routes;

/// <summary>
/// Search: <c>points/query</c> (the Query API the current clients use) and its batch form, and the legacy
/// <c>points/search</c> and <c>points/search/batch</c> that older clients call.
/// </summary>
internal sealed class QueryEndpoints(ServerState state)
{
    public void Map(WebApplication app)
    {
        app.MapPost("/collections/{name}/points/query", new RequestDelegate(Query));
        app.MapPost("/collections/{name}/points/query/batch", new RequestDelegate(QueryBatch));
        app.MapPost("/collections/{name}/points/search", new RequestDelegate(Search));
        app.MapPost("/collections/{name}/points/search/batch", new RequestDelegate(SearchBatch));
    }

    /// <summary><c>{"points": [ScoredPoint]}</c>.</summary>
    private async Task Query(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        Action<Utf8JsonWriter> points = RunQuery(collection, body);
        await QdrantResponse.Ok(context, w => WrapPoints(w, points)).ConfigureAwait(false);
    }

    /// <summary><c>{"searches": [query]}</c> to <c>[{"points": [...]}]</c>, in request order.</summary>
    private async Task QueryBatch(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        List<Action<Utf8JsonWriter>> results = Batch(body, q => RunQuery(collection, q));
        await QdrantResponse.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (Action<Utf8JsonWriter> points in results)
            {
                WrapPoints(w, points);
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    /// <summary>Legacy search: the scored points as a bare array.</summary>
    private async Task Search(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        Action<Utf8JsonWriter> points = QueryRunner.Run(collection, QueryRequest.ReadSearch(body, collection.Schema));
        await QdrantResponse.Ok(context, points).ConfigureAwait(false);
    }

    private async Task SearchBatch(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        List<Action<Utf8JsonWriter>> results = Batch(body, q => QueryRunner.Run(collection, QueryRequest.ReadSearch(q, collection.Schema)));
        await QdrantResponse.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (Action<Utf8JsonWriter> points in results)
            {
                points(w);
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private List<Action<Utf8JsonWriter>> Batch(JsonElement body, Func<JsonElement, Action<Utf8JsonWriter>> run)
    {
        JsonElement searches = JsonFields.Get(body, "searches") ?? throw QdrantException.BadRequest("`searches` is required");
        if (searches.ValueKind != JsonValueKind.Array)
        {
            throw QdrantException.BadRequest("`searches` must be an array");
        }
        state.CheckBatch(searches.GetArrayLength(), "searches");
        return searches.EnumerateArray().Select(run).ToList();
    }

    /// <summary>A hybrid query (with <c>prefetch</c>) runs as a fused <see cref="HybridQuery"/>; any other as a single search.</summary>
    private static Action<Utf8JsonWriter> RunQuery(Collection collection, JsonElement body) =>
        JsonFields.Get(body, "prefetch") is not null
            ? FusionQuery.Run(collection, body)
            : QueryRunner.Run(collection, QueryRequest.ReadQuery(body, collection.Schema));

    private static void WrapPoints(Utf8JsonWriter writer, Action<Utf8JsonWriter> points)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("points");
        points(writer);
        writer.WriteEndObject();
    }
}
