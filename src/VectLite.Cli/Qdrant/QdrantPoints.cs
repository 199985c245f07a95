using System.Text.Json;
using System.Text.Json.Nodes;
using Qdrant.Client.Grpc;
using JsonValue = System.Text.Json.Nodes.JsonValue;
using Value = Qdrant.Client.Grpc.Value;

namespace VectLite.Cli.Qdrant;

/// <summary>
/// VectLite records as Qdrant points and back: ids (numbers stay numbers, UUID strings become Qdrant UUIDs), dense
/// vectors (the collection's "default" vector is Qdrant's unnamed one), and JSON payloads as Qdrant's protobuf values.
/// </summary>
/// <remarks>
/// Payload numbers: an integral JSON number that fits a signed 64-bit integer travels as Qdrant's integer, anything else
/// as a double, so <c>2.0</c> comes back as <c>2</c> (the same number; JSON does not distinguish them). Qdrant has no
/// expiry: a record's <c>expires_at</c> stays behind.
/// </remarks>
internal static class QdrantPoints
{
    /// <summary>The point for a record.</summary>
    /// <exception cref="CliUsageException">The record's id is a string that is not a UUID (Qdrant ids are numbers or UUIDs).</exception>
    public static PointStruct ToPoint(Record record, bool unnamed)
    {
        var point = new PointStruct { Id = ToPointId(record.Id) };
        if (unnamed)
        {
            if (record.Vectors.TryGetValue(CollectionSchema.DefaultVectorName, out ReadOnlyMemory<float> vector))
            {
                point.Vectors = vector.ToArray();
            }
        }
        else if (record.Vectors.Count > 0)
        {
            var named = new NamedVectors();
            foreach ((string name, ReadOnlyMemory<float> vector) in record.Vectors)
            {
                named.Vectors[name] = vector.ToArray();
            }
            point.Vectors = new global::Qdrant.Client.Grpc.Vectors { Vectors_ = named };
        }
        if (record.Payload is { } payload)
        {
            foreach ((string key, JsonNode? value) in payload)
            {
                point.Payload[key] = ToValue(value);
            }
        }
        return point;
    }

    /// <summary>The record for a point read with its vectors and payload.</summary>
    public static Record ToRecord(RetrievedPoint point)
    {
        var record = new Record(ToRecordId(point.Id));
        if (point.Vectors is { } vectors)
        {
            switch (vectors.VectorsOptionsCase)
            {
                case VectorsOutput.VectorsOptionsOneofCase.Vector:
                    record.Vectors[CollectionSchema.DefaultVectorName] = Dense(vectors.Vector, CollectionSchema.DefaultVectorName);
                    break;
                case VectorsOutput.VectorsOptionsOneofCase.Vectors:
                    foreach ((string name, VectorOutput vector) in vectors.Vectors.Vectors)
                    {
                        record.Vectors[name] = Dense(vector, name);
                    }
                    break;
            }
        }
        if (point.Payload.Count > 0)
        {
            var payload = new JsonObject();
            foreach ((string key, Value value) in point.Payload)
            {
                payload[key] = ToJson(value);
            }
            record.Payload = payload;
        }
        return record;
    }

    /// <summary>Qdrant's id for a record id.</summary>
    /// <exception cref="CliUsageException">A string id that is not a UUID.</exception>
    public static PointId ToPointId(RecordId id)
    {
        if (!id.IsString)
        {
            return id.AsNumber;
        }
        return Guid.TryParse(id.AsString, out Guid uuid)
            ? uuid
            : throw new CliUsageException($"record '{id.AsString}': Qdrant point ids are unsigned integers or UUIDs, and this string id is neither.");
    }

    /// <summary>VectLite's id for a point id: the number, or the UUID's canonical lower-case string (as <c>vectlite serve</c> stores it).</summary>
    public static RecordId ToRecordId(PointId id) =>
        id.PointIdOptionsCase == PointId.PointIdOptionsOneofCase.Num ? new RecordId(id.Num) : RecordId.FromGuid(Guid.Parse(id.Uuid));

    /// <summary>The id as it appears in messages.</summary>
    public static string Describe(PointId id) => id.PointIdOptionsCase == PointId.PointIdOptionsOneofCase.Num ? id.Num.ToString(System.Globalization.CultureInfo.InvariantCulture) : id.Uuid;

    private static float[] Dense(VectorOutput vector, string name) =>
        vector.GetDenseVector()?.Data.ToArray()
        ?? throw new CliUsageException($"vector '{name}' is not a dense vector; --from-qdrant copies dense vectors only.");

    /// <summary>A JSON value as Qdrant's protobuf value.</summary>
    public static Value ToValue(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new Value { NullValue = NullValue.NullValue };
            case JsonObject obj:
                var fields = new Struct();
                foreach ((string key, JsonNode? value) in obj)
                {
                    fields.Fields[key] = ToValue(value);
                }
                return new Value { StructValue = fields };
            case JsonArray array:
                var list = new ListValue();
                foreach (JsonNode? item in array)
                {
                    list.Values.Add(ToValue(item));
                }
                return new Value { ListValue = list };
            default:
                var scalar = node.AsValue();
                return scalar.GetValueKind() switch
                {
                    JsonValueKind.String => new Value { StringValue = scalar.GetValue<string>() },
                    JsonValueKind.True => new Value { BoolValue = true },
                    JsonValueKind.False => new Value { BoolValue = false },
                    JsonValueKind.Number when scalar.TryGetValue(out long integer) => new Value { IntegerValue = integer },
                    JsonValueKind.Number => new Value { DoubleValue = scalar.GetValue<double>() },
                    _ => new Value { NullValue = NullValue.NullValue },
                };
        }
    }

    /// <summary>Qdrant's protobuf value as JSON.</summary>
    public static JsonNode? ToJson(Value value)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StringValue:
                return JsonValue.Create(value.StringValue);
            case Value.KindOneofCase.IntegerValue:
                return JsonValue.Create(value.IntegerValue);
            case Value.KindOneofCase.DoubleValue:
                return JsonValue.Create(value.DoubleValue);
            case Value.KindOneofCase.BoolValue:
                return JsonValue.Create(value.BoolValue);
            case Value.KindOneofCase.StructValue:
                var obj = new JsonObject();
                foreach ((string key, Value field) in value.StructValue.Fields)
                {
                    obj[key] = ToJson(field);
                }
                return obj;
            case Value.KindOneofCase.ListValue:
                var array = new JsonArray();
                foreach (Value item in value.ListValue.Values)
                {
                    array.Add(ToJson(item));
                }
                return array;
            default:
                return null;
        }
    }
}
