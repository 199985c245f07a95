using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace VectLite;

/// <summary>
/// A record to write, or one read back: an id, an optional namespace, dense vectors, a JSON payload and an optional expiry.
/// </summary>
/// <example>
/// <code>
/// var r = new Record(42, embedding, new JsonObject { ["title"] = "Dune", ["year"] = 1965 });
/// var named = new Record("doc-7") { Namespace = "tenant-a", TimeToLive = TimeSpan.FromHours(1) }
///     .WithVector("text", textVector).WithVector("image", imageVector);
///
/// // Typed payloads through System.Text.Json source generation (AOT-safe):
/// // [JsonSerializable(typeof(Book))] partial class AppJson : JsonSerializerContext;
/// var typed = new Record(43, embedding).WithPayload(new Book("Dune", 1965), AppJson.Default.Book);
/// Book? book = collection.Get(43)?.GetPayload(AppJson.Default.Book);
/// </code>
/// </example>
public sealed class Record
{
    /// <summary>Creates a record with no vectors and no payload (add them with the properties or <see cref="WithVector"/>).</summary>
    public Record(RecordId id) => Id = id;

    /// <summary>Creates a record for a collection with exactly one named vector.</summary>
    public Record(RecordId id, ReadOnlyMemory<float> vector, JsonObject? payload = null)
    {
        Id = id;
        Vector = vector;
        Payload = payload;
    }

    /// <summary>The record's id, unique within its namespace.</summary>
    public RecordId Id { get; }

    /// <summary>The namespace (tenant partition). Null or "" is the default namespace. At most 256 characters.</summary>
    public string? Namespace { get; set; }

    /// <summary>
    /// The vector, for a collection with exactly one named vector (the usual case). On records read back from such a
    /// collection it holds that vector too. Leave it null and use <see cref="Vectors"/> for several named vectors.
    /// </summary>
    public ReadOnlyMemory<float>? Vector { get; set; }

    /// <summary>
    /// Vectors by name, the same type as <see cref="SearchHit.Vectors"/>. On write, every named vector of the schema must be present (here or via <see cref="Vector"/>).
    /// Read back, they are bit for bit the values written, for every metric (cosine vectors are not normalised).
    /// </summary>
    public Dictionary<string, ReadOnlyMemory<float>> Vectors => _vectors ??= new(StringComparer.Ordinal);

    /// <summary>True when <see cref="Vectors"/> holds at least one entry (without creating the dictionary).</summary>
    internal bool HasNamedVectors => _vectors is { Count: > 0 };

    private Dictionary<string, ReadOnlyMemory<float>>? _vectors;

    /// <summary>
    /// Sparse vectors by the name of their space (<see cref="CollectionSchema.AddSparseVector"/>). Optional on write: a
    /// record without a vector in a space is simply not found by that space's searches. Read back, each is the vector
    /// written, with the same entries in the same order.
    /// </summary>
    public Dictionary<string, SparseVector> SparseVectors => _sparseVectors ??= new(StringComparer.Ordinal);

    /// <summary>True when <see cref="SparseVectors"/> holds at least one entry (without creating the dictionary).</summary>
    internal bool HasSparseVectors => _sparseVectors is { Count: > 0 };

    private Dictionary<string, SparseVector>? _sparseVectors;

    /// <summary>
    /// Multi-vectors by the name of their space (<see cref="CollectionSchema.AddMultiVector"/>): each a matrix of token
    /// vectors (1 to <see cref="MultiVectorSpec.MaxTokens"/>, each of the space's dimension). Optional on write. Read back
    /// bit for bit as written.
    /// </summary>
    public Dictionary<string, ReadOnlyMemory<float>[]> MultiVectors => _multiVectors ??= new(StringComparer.Ordinal);

    /// <summary>True when <see cref="MultiVectors"/> holds at least one entry (without creating the dictionary).</summary>
    internal bool HasMultiVectors => _multiVectors is { Count: > 0 };

    private Dictionary<string, ReadOnlyMemory<float>[]>? _multiVectors;

    /// <summary>The JSON payload: any object (strings, numbers, bools, nulls, arrays, nested objects), or null for none.</summary>
    public JsonObject? Payload { get; set; }

    /// <summary>When the record expires (becomes invisible to every read, and is removed at the next checkpoint); null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>On write, an alternative to <see cref="ExpiresAt"/>: the record expires this long after the write. Must be positive.</summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>
    /// Sets <see cref="Payload"/> to <paramref name="payload"/> serialized with source-generated metadata (trimming- and
    /// AOT-safe) and returns this record. A <see cref="DateTimeOffset"/> property sorts in filters only when written in
    /// VectLite's form: register <see cref="SortableDateTimeOffsetConverter"/> on the context.
    /// </summary>
    /// <param name="payload">The value; null clears the payload.</param>
    /// <param name="typeInfo">Its metadata, e.g. <c>AppJson.Default.Book</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="InvalidRecordException"><paramref name="payload"/> does not serialize to a JSON object.</exception>
    public Record WithPayload<T>(T payload, JsonTypeInfo<T> typeInfo)
    {
        Payload = TypedPayload.ToObject(payload, typeInfo);
        return this;
    }

    /// <summary>As <see cref="WithPayload{T}(T, JsonTypeInfo{T})"/>, with reflection-based serialization.</summary>
    /// <param name="payload">The value; null clears the payload.</param>
    /// <param name="options">Serializer options, or null for the defaults.</param>
    /// <exception cref="InvalidRecordException"><paramref name="payload"/> does not serialize to a JSON object.</exception>
    [RequiresUnreferencedCode("Reflection-based serialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    [RequiresDynamicCode("Reflection-based serialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    public Record WithPayload<T>(T payload, JsonSerializerOptions? options = null)
    {
        Payload = TypedPayload.ToObject(payload, options);
        return this;
    }

    /// <summary>Reads <see cref="Payload"/> as a <typeparamref name="T"/> with source-generated metadata (trimming- and AOT-safe).</summary>
    /// <param name="typeInfo">The type's metadata, e.g. <c>AppJson.Default.Book</c>.</param>
    /// <returns>The payload, or <c>default</c> when the record has none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="JsonException">The payload does not fit <typeparamref name="T"/>.</exception>
    public T? GetPayload<T>(JsonTypeInfo<T> typeInfo) => TypedPayload.FromObject(Payload, typeInfo);

    /// <summary>As <see cref="GetPayload{T}(JsonTypeInfo{T})"/>, with reflection-based deserialization.</summary>
    /// <param name="options">Serializer options, or null for the defaults.</param>
    /// <exception cref="JsonException">The payload does not fit <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode("Reflection-based deserialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    [RequiresDynamicCode("Reflection-based deserialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    public T? GetPayload<T>(JsonSerializerOptions? options = null) => TypedPayload.FromObject<T>(Payload, options);

    /// <summary>Sets the sparse vector of a named sparse space and returns this record.</summary>
    public Record WithSparseVector(string name, SparseVector vector)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(vector);
        SparseVectors[name] = vector;
        return this;
    }

    /// <summary>Sets the token vectors of a named multi-vector space and returns this record.</summary>
    public Record WithMultiVector(string name, params ReadOnlyMemory<float>[] tokens)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(tokens);
        MultiVectors[name] = tokens;
        return this;
    }

    /// <summary>Sets a named vector and returns this record.</summary>
    public Record WithVector(string name, ReadOnlyMemory<float> vector)
    {
        ArgumentNullException.ThrowIfNull(name);
        Vectors[name] = vector;
        return this;
    }
}
