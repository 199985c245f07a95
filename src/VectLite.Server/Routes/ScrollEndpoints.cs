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

    /// <summary>
    /// <c>{filter, limit = 10, offset, with_payload = true, with_vector = false}</c> to <c>{points, next_page_offset}</c>.
    /// Qdrant's offset is the first id of the page (inclusive) and next_page_offset the id that starts the next one.
    /// </summary>
    private async Task Scroll(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        JsonFields.RejectIfSet(body, "order_by", "`order_by` in scroll");
        int limit = JsonFields.Int(body, "limit", 10, 1, Collection.MaxSearchResults);
        RecordId? offset = JsonFields.Get(body, "offset") is { } o ? PointIds.Parse(o) : (RecordId?)null;
        Filter? filter = FilterTranslator.Translate(JsonFields.Get(body, "filter"));
        var payload = PayloadSelector.Read(body, fallback: true);
        var vectors = VectorSelector.Read(body, fallback: false);

        ScrollPage page = collection.Scroll(new ScrollOptions
        {
            Limit = limit,
            StartAt = offset,
            Filter = filter,
            IncludePayload = payload.Enabled,
            IncludeVectors = vectors.Enabled,
        });
        RecordId? next = null;
        if (page.NextCursor is not null)
        {
            ScrollPage peek = collection.Scroll(new ScrollOptions { Limit = 1, Cursor = page.NextCursor, Filter = filter, IncludePayload = false });
            next = peek.Records.Count > 0 ? peek.Records[0].Id : (RecordId?)null;
        }
        CollectionSchema schema = collection.Schema;
        await QdrantResponse.Ok(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("points");
            foreach (Record record in page.Records)
            {
                PointWriter.WriteRecord(w, record, schema, payload, vectors);
            }
            w.WriteEndArray();
            w.WritePropertyName("next_page_offset");
            if (next is { } id)
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
