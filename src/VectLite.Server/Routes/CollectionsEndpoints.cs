using System.Text.Json;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;

namespace VectLite.Server.Routes;

/// <summary>Collections: create, get info, list, delete, exists.</summary>
internal sealed class CollectionsEndpoints(ServerState state)
{
    public void Map(WebApplication app)
    {
        app.MapGet("/collections", new RequestDelegate(List));
        app.MapPut("/collections/{name}", new RequestDelegate(Create));
        app.MapGet("/collections/{name}", new RequestDelegate(Info));
        app.MapDelete("/collections/{name}", new RequestDelegate(Delete));
        app.MapGet("/collections/{name}/exists", new RequestDelegate(Exists));
    }

    private Task List(HttpContext context)
    {
        IReadOnlyList<string> names = state.Database.ListCollections();
        return QdrantResponse.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("collections");
            foreach (string name in names)
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>PUT: creates the collection; an existing name is 409, as in Qdrant.</summary>
    private async Task Create(HttpContext context)
    {
        string name = RouteValues.Get(context, "name");
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        JsonFields.RejectIfSet(body, "init_from", "`init_from`");
        CollectionSchema schema = CollectionConfig.ReadSchema(body);
        await state.Write(name, () => state.Database.CreateCollection(name, schema), context.RequestAborted).ConfigureAwait(false);
        await QdrantResponse.True(context).ConfigureAwait(false);
    }

    private Task Info(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        return QdrantResponse.Ok(context, w => CollectionConfig.WriteInfo(w, collection));
    }

    /// <summary>DELETE: true when a collection was dropped, false when there was none.</summary>
    private async Task Delete(HttpContext context)
    {
        string name = RouteValues.Get(context, "name");
        bool dropped = false;
        await state.Write(name, () =>
        {
            try
            {
                dropped = state.Database.DropCollection(name);
            }
            catch (InvalidNameException)
            {
                dropped = false; // a name VectLite cannot store names no collection
            }
        }, context.RequestAborted).ConfigureAwait(false);
        await QdrantResponse.Ok(context, w => w.WriteBooleanValue(dropped)).ConfigureAwait(false);
    }

    private Task Exists(HttpContext context)
    {
        string name = RouteValues.Get(context, "name");
        bool exists;
        try
        {
            exists = state.Database.CollectionExists(name);
        }
        catch (InvalidNameException)
        {
            exists = false;
        }
        return QdrantResponse.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("exists", exists);
            w.WriteEndObject();
        });
    }
}
