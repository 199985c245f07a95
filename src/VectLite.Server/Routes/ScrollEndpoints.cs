using System.Text.Json;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;

namespace VectLite.Server.Routes;

/// <summary>Scroll (pages in id order, numbers before UUIDs) and count.</summary>
internal sealed class ScrollEndpoints(ServerState state)
{
    public void Map(WebApplication app)
    {
        app.MapPost("/collections/{name}/points/scroll", new RequestDelegate(Scroll));
        app.MapPost("/collections/{name}/points/count", new RequestDelegate(Count));
    }

    /// <summary><c>{points, next_page_offset}</c>: see <see cref="ScrollRunner"/>.</summary>
    private async Task Scroll(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        RecordPage page = ScrollRunner.Run(collection, body);
        await QdrantResponse.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("points");
            foreach (Record record in page.Records)
            {
                PointWriter.WriteRecord(w, record, page.Schema, page.Payload, page.Vectors);
            }
            w.WriteEndArray();
            w.WritePropertyName("next_page_offset");
            if (page.NextPageOffset is { } id)
            {
                PointIds.Write(w, id);
            }
            else
            {
                w.WriteNullValue();
            }
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary><c>{filter, exact}</c> to <c>{count}</c>; VectLite's count is always exact.</summary>
    private async Task Count(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        long count = collection.Count(FilterTranslator.Translate(JsonFields.Get(body, "filter")));
        await QdrantResponse.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("count", count);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
