using System.Text.Json;
using System.Text.Json.Nodes;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;

namespace VectLite.Server.Routes;

/// <summary>Payload updates: set (merge keys), overwrite, delete keys, clear; each on listed points or a filter.</summary>
internal sealed class PayloadEndpoints(ServerState state)
{
    public void Map(WebApplication app)
    {
        app.MapPost("/collections/{name}/points/payload", new RequestDelegate(Set));
        app.MapPut("/collections/{name}/points/payload", new RequestDelegate(Overwrite));
        app.MapPost("/collections/{name}/points/payload/delete", new RequestDelegate(DeleteKeys));
        app.MapPost("/collections/{name}/points/payload/clear", new RequestDelegate(Clear));
    }

    private Task Set(HttpContext context) => Edit(context, (body, current) =>
        PayloadEdit.Set(current, PayloadOf(body), JsonFields.String(body, "key")));

    private Task Overwrite(HttpContext context) => Edit(context, (body, _) => PayloadOf(body));

    private Task DeleteKeys(HttpContext context) => Edit(context, (body, current) =>
    {
        var keys = new List<string>();
        foreach (JsonElement key in JsonFields.Array(body, "keys") ?? throw QdrantException.BadRequest("`keys` is required"))
        {
            keys.Add(key.ValueKind == JsonValueKind.String ? key.GetString()! : throw QdrantException.BadRequest("`keys` must be strings"));
        }
        return PayloadEdit.DeleteKeys(current, keys);
    });

    private Task Clear(HttpContext context) => Edit(context, (_, _) => []);

    /// <summary>Reads the selector, validates the request, then applies it: see <see cref="PointUpdates.EditPayload"/>.</summary>
    private async Task Edit(HttpContext context, Func<JsonElement, JsonObject?, JsonObject> compute)
    {
        string name = RouteValues.Get(context, "name");
        Collection collection = state.Collection(name);
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        var selector = PointsSelector.Read(body, state);
        compute(body, null); // validates the request before the gate is taken
        long op = await PointUpdates.EditPayload(state, name, collection, selector, current => compute(body, current), context.RequestAborted).ConfigureAwait(false);
        await QdrantResponse.Completed(context, op).ConfigureAwait(false);
    }

    private static JsonObject PayloadOf(JsonElement body) => JsonFields.Get(body, "payload") is { ValueKind: JsonValueKind.Object } payload
        ? JsonObject.Create(payload)!.DeepClone().AsObject()
        : throw QdrantException.BadRequest("`payload` must be a JSON object");
}
