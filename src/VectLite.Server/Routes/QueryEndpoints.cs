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
        ScoredPoints points = RunQuery(collection, body);
        await QdrantResponse.Ok(context, w => WrapPoints(w, points)).ConfigureAwait(false);
    }

    /// <summary><c>{"searches": [query]}</c> to <c>[{"points": [...]}]</c>, in request order.</summary>
    private async Task QueryBatch(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        List<ScoredPoints> results = Batch(body, q => RunQuery(collection, q));
        await QdrantResponse.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (ScoredPoints points in results)
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
        ScoredPoints points = QueryRunner.Run(collection, QueryRequest.ReadSearch(body, collection.Schema));
        await QdrantResponse.Ok(context, w => PointWriter.WriteScored(w, points)).ConfigureAwait(false);
    }

    private async Task SearchBatch(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        List<ScoredPoints> results = Batch(body, q => QueryRunner.Run(collection, QueryRequest.ReadSearch(q, collection.Schema)));
        await QdrantResponse.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (ScoredPoints points in results)
            {
                PointWriter.WriteScored(w, points);
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    private List<ScoredPoints> Batch(JsonElement body, Func<JsonElement, ScoredPoints> run)
    {
        JsonElement searches = JsonFields.Get(body, "searches") ?? throw QdrantException.BadRequest("`searches` is required");
        if (searches.ValueKind != JsonValueKind.Array)
        {
            throw QdrantException.BadRequest("`searches` must be an array");
        }
        state.CheckBatch(searches.GetArrayLength(), "searches");
        return searches.EnumerateArray().Select(run).ToList();
    }

    private static ScoredPoints RunQuery(Collection collection, JsonElement body) => QueryRunner.RunQuery(collection, body);

    private static void WrapPoints(Utf8JsonWriter writer, ScoredPoints points)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("points");
        PointWriter.WriteScored(writer, points);
        writer.WriteEndObject();
    }
}
