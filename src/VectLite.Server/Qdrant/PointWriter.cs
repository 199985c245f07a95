using System.Text.Json;
using System.Text.Json.Nodes;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Writes points as Qdrant returns them: a <c>Record</c> (<c>{id, payload, vector}</c>) from retrieve and scroll, a
/// <c>ScoredPoint</c> (<c>{id, version, score, payload, vector}</c>) from query and search. The unnamed vector is a
/// plain array, named vectors an object; scores are in Qdrant's meaning for the metric (see <see cref="Distances"/>).
/// </summary>
internal static class PointWriter
{
    /// <summary>Writes a stored record.</summary>
    public static void WriteRecord(Utf8JsonWriter writer, Record record, CollectionSchema schema, PayloadSelector payload, VectorSelector vectors)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("id");
        PointIds.Write(writer, record.Id);
        WritePayload(writer, record.Payload, payload);
        WriteVectors(writer, schema, vectors, record.Vectors.Count == 0 ? null : record.Vectors);
        writer.WriteEndObject();
    }

    /// <summary>Writes a query's answer as a JSON array of scored points.</summary>
    public static void WriteScored(Utf8JsonWriter writer, ScoredPoints points)
    {
        writer.WriteStartArray();
        foreach (ScoredPoint point in points.Points)
        {
            WriteScored(writer, point.Id, point.Score, point.Payload, point.Vectors, points.Schema, points.Payload, points.Vectors);
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes a search hit whose score is already in Qdrant's meaning.</summary>
    private static void WriteScored(Utf8JsonWriter writer, RecordId id, float score, JsonObject? payloadObject, IReadOnlyDictionary<string, ReadOnlyMemory<float>>? vectorMap,
        CollectionSchema schema, PayloadSelector payload, VectorSelector vectors)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("id");
        PointIds.Write(writer, id);
        // VectLite keeps no per-point version; 0 satisfies clients that read the (required) field.
        writer.WriteNumber("version", 0);
        writer.WriteNumber("score", score);
        WritePayload(writer, payloadObject, payload);
        WriteVectors(writer, schema, vectors, vectorMap);
        writer.WriteEndObject();
    }

    private static void WritePayload(Utf8JsonWriter writer, JsonObject? payloadObject, PayloadSelector payload)
    {
        if (!payload.Enabled)
        {
            return;
        }
        writer.WritePropertyName("payload");
        payload.Select(payloadObject).WriteTo(writer);
    }

    private static void WriteVectors(Utf8JsonWriter writer, CollectionSchema schema, VectorSelector selector, IEnumerable<KeyValuePair<string, ReadOnlyMemory<float>>>? vectors)
    {
        if (!selector.Enabled || vectors is null)
        {
            return;
        }
        bool unnamed = VectorNames.IsUnnamed(schema);
        if (unnamed)
        {
            foreach ((string name, ReadOnlyMemory<float> vector) in vectors)
            {
                if (selector.Wants(name, unnamed: true))
                {
                    writer.WritePropertyName("vector");
                    WriteArray(writer, vector);
                }
            }
            return;
        }
        writer.WriteStartObject("vector");
        foreach ((string name, ReadOnlyMemory<float> vector) in vectors)
        {
            if (selector.Wants(name, unnamed: false))
            {
                writer.WritePropertyName(name);
                WriteArray(writer, vector);
            }
        }
        writer.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter writer, ReadOnlyMemory<float> vector)
    {
        writer.WriteStartArray();
        foreach (float x in vector.Span)
        {
            writer.WriteNumberValue(x);
        }
        writer.WriteEndArray();
    }
}
