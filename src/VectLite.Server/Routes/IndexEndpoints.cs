using System.Text.Json;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;

namespace VectLite.Server.Routes;

/// <summary>Payload indexes: <c>PUT /collections/{name}/index</c> and <c>DELETE /collections/{name}/index/{field}</c>.</summary>
internal sealed class IndexEndpoints(ServerState state)
{
    public void Map(WebApplication app)
    {
        app.MapPut("/collections/{name}/index", new RequestDelegate(Create));
        app.MapDelete("/collections/{name}/index/{field}", new RequestDelegate(Delete));
    }

    private async Task Create(HttpContext context)
    {
        string name = RouteValues.Get(context, "name");
        Collection collection = state.Collection(name);
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        string field = FilterTranslator.Path(JsonFields.String(body, "field_name") ?? throw QdrantException.BadRequest("`field_name` is required"));
        PayloadIndexKind kind = PayloadIndexes.Parse(JsonFields.Get(body, "field_schema"));
        long op = await state.Write(name, () => collection.CreatePayloadIndex(field, kind), context.RequestAborted).ConfigureAwait(false);
        await QdrantResponse.Completed(context, op).ConfigureAwait(false);
    }

    /// <summary>Dropping an index that does not exist succeeds, as in Qdrant.</summary>
    private async Task Delete(HttpContext context)
    {
        string name = RouteValues.Get(context, "name");
        Collection collection = state.Collection(name);
        string field = FilterTranslator.Path(RouteValues.Get(context, "field"));
        long op = await state.Write(name, () => collection.DropPayloadIndex(field), context.RequestAborted).ConfigureAwait(false);
        await QdrantResponse.Completed(context, op).ConfigureAwait(false);
    }
}
