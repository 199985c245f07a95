using System.Text.Json;

namespace VectLite.Server.Qdrant;

/// <summary>A page of stored points (scroll, retrieve), with what shapes each point for either protocol to write.</summary>
internal sealed record RecordPage(IReadOnlyList<Record> Records, RecordId? NextPageOffset, CollectionSchema Schema, PayloadSelector Payload, VectorSelector Vectors);

/// <summary>
/// Qdrant's scroll: <c>{filter, limit = 10, offset, with_payload = true, with_vector = false}</c>, pages in id order
/// (numbers before UUIDs). Qdrant's offset is the first id of the page (inclusive) and <c>next_page_offset</c> the id
/// that starts the next one. Shared by the REST endpoint and the gRPC service (which reads its request into this form).
/// </summary>
internal static class ScrollRunner
{
    public static RecordPage Run(Collection collection, JsonElement body)
    {
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
        return new RecordPage(page.Records, next, collection.Schema, payload, vectors);
    }

    /// <summary>Qdrant's retrieve: <c>{ids, with_payload = true, with_vector = false}</c>, the points that exist, in the order asked.</summary>
    public static RecordPage Retrieve(Collection collection, JsonElement body, ServerState state)
    {
        List<RecordId> ids = PointIds.ParseMany(JsonFields.Get(body, "ids") ?? throw Http.QdrantException.BadRequest("`ids` is required"), "ids");
        state.CheckBatch(ids.Count, "point ids");
        var payload = PayloadSelector.Read(body, fallback: true);
        var vectors = VectorSelector.Read(body, fallback: false);
        IReadOnlyList<Record> found = collection.GetMany(ids, includeVectors: vectors.Enabled, includePayload: payload.Enabled);
        return new RecordPage(found, null, collection.Schema, payload, vectors);
    }
}
