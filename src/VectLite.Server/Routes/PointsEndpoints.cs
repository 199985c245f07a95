using System.Text.Json;
using System.Text.Json.Nodes;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;

namespace VectLite.Server.Routes;

/// <summary>Points: upsert (list and batch forms), retrieve by ids, get one, delete by ids or filter.</summary>
internal sealed class PointsEndpoints(ServerState state)
{
    public void Map(WebApplication app)
    {
        app.MapPut("/collections/{name}/points", new RequestDelegate(Upsert));
        app.MapPost("/collections/{name}/points", new RequestDelegate(Retrieve));
        app.MapGet("/collections/{name}/points/{id}", new RequestDelegate(GetOne));
        app.MapPost("/collections/{name}/points/delete", new RequestDelegate(Delete));
    }

    /// <summary>
    /// PUT points: <c>{"points":[{id, vector, payload}]}</c> or <c>{"batch":{ids, vectors, payloads}}</c>. The whole
    /// request is read and checked before one <see cref="Collection.UpsertMany"/> writes it, all or nothing.
    /// </summary>
    private async Task Upsert(HttpContext context)
    {
        string name = RouteValues.Get(context, "name");
        Collection collection = state.Collection(name);
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        List<Record> records = ReadRecords(body, collection.Schema);
        long op = await state.Write(name, () => collection.UpsertMany(records), context.RequestAborted).ConfigureAwait(false);
        await QdrantResponse.Completed(context, op).ConfigureAwait(false);
    }

    private List<Record> ReadRecords(JsonElement body, CollectionSchema schema)
    {
        if (JsonFields.Get(body, "points") is { } points)
        {
            if (points.ValueKind != JsonValueKind.Array)
            {
                throw QdrantException.BadRequest("`points` must be an array of {id, vector, payload}");
            }
            state.CheckBatch(points.GetArrayLength(), "points");
            var records = new List<Record>(points.GetArrayLength());
            foreach (JsonElement point in points.EnumerateArray())
            {
                if (point.ValueKind != JsonValueKind.Object || JsonFields.Get(point, "id") is not { } id)
                {
                    throw QdrantException.BadRequest("every point needs an `id`");
                }
                var record = new Record(PointIds.Parse(id)) { Payload = Payload(JsonFields.Get(point, "payload")) };
                VectorInput.ReadPoint(JsonFields.Get(point, "vector"), schema, record);
                records.Add(record);
            }
            return records;
        }
        if (JsonFields.Get(body, "batch") is { } batch)
        {
            return ReadBatch(batch, schema);
        }
        throw QdrantException.BadRequest("an upsert needs `points` or `batch`");
    }

    /// <summary>The column form: <c>ids</c>, then <c>vectors</c> (an array of vectors, or named arrays) and <c>payloads</c> in the same order.</summary>
    private List<Record> ReadBatch(JsonElement batch, CollectionSchema schema)
    {
        List<RecordId> ids = PointIds.ParseMany(JsonFields.Get(batch, "ids") ?? throw QdrantException.BadRequest("`batch.ids` is required"), "batch.ids");
        state.CheckBatch(ids.Count, "points");
        var records = ids.Select(id => new Record(id)).ToList();
        if (JsonFields.Get(batch, "vectors") is { } vectors)
        {
            if (vectors.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty named in vectors.EnumerateObject())
                {
                    VectorSpec spec = VectorNames.Resolve(schema, named.Name);
                    ReadColumn(named.Value, records, (record, value) => record.Vectors[spec.Name] = VectorInput.ReadDense(value, spec), $"batch.vectors.{named.Name}");
                }
            }
            else
            {
                VectorSpec spec = VectorNames.Resolve(schema, null);
                ReadColumn(vectors, records, (record, value) => record.Vectors[spec.Name] = VectorInput.ReadDense(value, spec), "batch.vectors");
            }
        }
        if (JsonFields.Get(batch, "payloads") is { } payloads)
        {
            ReadColumn(payloads, records, (record, value) => record.Payload = Payload(value), "batch.payloads");
        }
        return records;
    }

    private static void ReadColumn(JsonElement column, List<Record> records, Action<Record, JsonElement> read, string field)
    {
        if (column.ValueKind != JsonValueKind.Array || column.GetArrayLength() != records.Count)
        {
            throw QdrantException.BadRequest($"`{field}` must be an array with one entry per id ({records.Count})");
        }
        int i = 0;
        foreach (JsonElement value in column.EnumerateArray())
        {
            read(records[i++], value);
        }
    }

    private static JsonObject? Payload(JsonElement? payload) => payload switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } p => JsonObject.Create(p)!.DeepClone().AsObject(),
        { ValueKind: JsonValueKind.Null } => null,
        _ => throw QdrantException.BadRequest("a payload must be a JSON object"),
    };

    /// <summary>POST points: <c>{ids, with_payload = true, with_vector = false}</c>, the points that exist, in the order asked.</summary>
    private async Task Retrieve(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        RecordPage found = ScrollRunner.Retrieve(collection, body, state);
        await QdrantResponse.Ok(context, w =>
        {
            w.WriteStartArray();
            foreach (Record record in found.Records)
            {
                PointWriter.WriteRecord(w, record, found.Schema, found.Payload, found.Vectors);
            }
            w.WriteEndArray();
        }).ConfigureAwait(false);
    }

    /// <summary>GET points/{id}: the point with its payload and vectors, or 404.</summary>
    private Task GetOne(HttpContext context)
    {
        Collection collection = state.Collection(RouteValues.Get(context, "name"));
        string segment = RouteValues.Get(context, "id");
        RecordId id = PointIds.ParseSegment(segment);
        Record record = collection.Get(id) ?? throw QdrantException.PointNotFound(segment);
        CollectionSchema schema = collection.Schema;
        using JsonDocument all = JsonDocument.Parse("""{"with_payload":true,"with_vector":true}""");
        var payload = PayloadSelector.Read(all.RootElement, fallback: true);
        var vectors = VectorSelector.Read(all.RootElement, fallback: true);
        return QdrantResponse.Ok(context, w => PointWriter.WriteRecord(w, record, schema, payload, vectors));
    }

    /// <summary>POST points/delete: <c>{points}</c> or <c>{filter}</c>.</summary>
    private async Task Delete(HttpContext context)
    {
        string name = RouteValues.Get(context, "name");
        Collection collection = state.Collection(name);
        JsonElement body = await RequestBody.ReadObject(context).ConfigureAwait(false);
        var selector = PointsSelector.Read(body, state);
        long op = await PointUpdates.Delete(state, name, collection, selector, context.RequestAborted).ConfigureAwait(false);
        await QdrantResponse.Completed(context, op).ConfigureAwait(false);
    }
}
