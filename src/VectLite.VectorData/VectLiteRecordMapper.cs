using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace VectLite.VectorData;

/// <summary>
/// Converts between MEVD records (POCOs or <c>Dictionary&lt;string, object?&gt;</c>) and engine <see cref="Record"/>s:
/// the key becomes the record id, data properties become payload fields, vector properties become named vectors.
/// </summary>
/// <remarks>
/// The key is also written into the payload under its storage name, because engine filters read only the payload:
/// this is what lets <c>r =&gt; r.Key == k</c> filter and order-by-key work. Reads take the key from the record id.
/// </remarks>
internal sealed class VectLiteRecordMapper<TRecord>(CollectionModel model)
    where TRecord : class
{
    /// <summary>Builds the engine record for <paramref name="record"/>.</summary>
    /// <param name="record">The MEVD record.</param>
    /// <param name="id">Its id (already generated when the key is auto-generated).</param>
    /// <param name="index">Its position in the batch, to find its generated embeddings.</param>
    /// <param name="generated">Per vector property, the embeddings generated for the batch, or null where none were.</param>
    /// <exception cref="ArgumentException">A vector property holds null (the engine needs every vector of every record).</exception>
    public Record ToStorage(TRecord record, RecordId id, int index, IReadOnlyList<Embedding>?[]? generated)
    {
        var payload = new JsonObject { [model.KeyProperty.StorageName] = VectLiteKeyMapping.ToPayload(id) };
        foreach (DataPropertyModel property in model.DataProperties)
        {
            payload[property.StorageName] = VectLitePayloadCodec.ToJson(property.GetValueAsObject(record));
        }

        var stored = new Record(id) { Payload = payload };
        for (int i = 0; i < model.VectorProperties.Count; i++)
        {
            VectorPropertyModel property = model.VectorProperties[i];
            ReadOnlyMemory<float> vector = generated?[i] is { } embeddings
                ? ((Embedding<float>)embeddings[index]).Vector
                : property.GetValueAsObject(record) switch
                {
                    ReadOnlyMemory<float> memory => memory,
                    float[] array => array,
                    Embedding<float> embedding => embedding.Vector,
                    null => throw new ArgumentException(
                        $"Vector property '{property.ModelName}' of the record with key '{id}' is null; VectLite stores every vector of every record, so it must be set.", nameof(record)),
                    var other => throw new ArgumentException(
                        $"Vector property '{property.ModelName}' holds a '{other.GetType().Name}'; expected one of {VectLiteModelBuilder.SupportedVectorTypes}.", nameof(record)),
                };
            stored.Vectors[property.StorageName] = vector;
        }
        return stored;
    }

    /// <summary>Builds the MEVD record from what the engine returned.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="payload">The payload, or null.</param>
    /// <param name="vectors">The vectors by storage name when they were requested; null otherwise.</param>
    public TRecord FromStorage(RecordId id, JsonObject? payload, IReadOnlyDictionary<string, ReadOnlyMemory<float>>? vectors)
    {
        TRecord record = model.CreateRecord<TRecord>();
        model.KeyProperty.SetValueAsObject(record, VectLiteKeyMapping.FromRecordId(id, model.KeyProperty.Type));

        foreach (DataPropertyModel property in model.DataProperties)
        {
            JsonNode? node = payload?[property.StorageName];
            property.SetValueAsObject(record, VectLitePayloadCodec.FromJson(node, property.Type, property.StorageName));
        }

        if (vectors is not null)
        {
            foreach (VectorPropertyModel property in model.VectorProperties)
            {
                // A property whose value is embedded from another type (a string, say) has nowhere to put the vector.
                if (VectLiteModelBuilder.IsNativeVectorType(property.Type) && vectors.TryGetValue(property.StorageName, out ReadOnlyMemory<float> vector))
                {
                    property.SetValueAsObject(record, ToPropertyType(vector, property.Type));
                }
            }
        }
        return record;
    }

    private static object ToPropertyType(ReadOnlyMemory<float> vector, Type type)
    {
        if (type == typeof(float[]))
        {
            // The engine hands out fresh arrays: reuse one when the memory spans it whole rather than copy again.
            return MemoryMarshal.TryGetArray(vector, out ArraySegment<float> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : vector.ToArray();
        }
        if (type == typeof(Embedding<float>))
        {
            return new Embedding<float>(vector);
        }
        return vector;
    }
}
