using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace VectLite;

/// <summary>One search result.</summary>
public sealed class SearchHit
{
    internal SearchHit(RecordId id, string @namespace, float score, JsonObject? payload, IReadOnlyDictionary<string, ReadOnlyMemory<float>>? vectors, ReadOnlyMemory<float>? vector, DateTimeOffset? expiresAt,
        IReadOnlyDictionary<string, SparseVector>? sparseVectors = null)
    {
        SparseVectors = sparseVectors;
        Id = id;
        Namespace = @namespace;
        Score = score;
        Payload = payload;
        Vectors = vectors;
        Vector = vector;
        ExpiresAt = expiresAt;
    }

    /// <summary>The record's id.</summary>
    public RecordId Id { get; }

    /// <summary>The record's namespace ("" for the default one).</summary>
    public string Namespace { get; }

    /// <summary>
    /// The score, higher is better: cosine similarity, dot product, or the negated L2 / L1 distance.
    /// </summary>
    public float Score { get; }

    /// <summary>The payload, when requested and present; a fresh object the caller may change.</summary>
    public JsonObject? Payload { get; }

    /// <summary>
    /// The vectors by name, when requested (<see cref="SearchOptions.IncludeVectors"/>): bit for bit as they were
    /// written, for every metric. The same type as <see cref="Record.Vectors"/>, so a hit's vectors can be copied into a
    /// record as they are.
    /// </summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<float>>? Vectors { get; }

    /// <summary>
    /// The vector, when requested and the collection has exactly one named vector (as <see cref="Record.Vector"/>);
    /// null otherwise.
    /// </summary>
    public ReadOnlyMemory<float>? Vector { get; }

    /// <summary>
    /// The sparse vectors by space name, when vectors are requested (<see cref="SearchOptions.IncludeVectors"/>) and the
    /// record holds any: exactly as written. Null otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, SparseVector>? SparseVectors { get; }

    /// <summary>When the record expires, or null.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>Reads <see cref="Payload"/> as a <typeparamref name="T"/> with source-generated metadata (trimming- and AOT-safe).</summary>
    /// <param name="typeInfo">The type's metadata, e.g. <c>AppJson.Default.Book</c>.</param>
    /// <returns>The payload, or <c>default</c> when the hit has none (none stored, or not requested).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is null.</exception>
    /// <exception cref="JsonException">The payload does not fit <typeparamref name="T"/>.</exception>
    public T? GetPayload<T>(JsonTypeInfo<T> typeInfo) => TypedPayload.FromObject(Payload, typeInfo);

    /// <summary>As <see cref="GetPayload{T}(JsonTypeInfo{T})"/>, with reflection-based deserialization.</summary>
    /// <param name="options">Serializer options, or null for the defaults.</param>
    /// <exception cref="JsonException">The payload does not fit <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode("Reflection-based deserialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    [RequiresDynamicCode("Reflection-based deserialization; use the JsonTypeInfo<T> overload for trimming and AOT.")]
    public T? GetPayload<T>(JsonSerializerOptions? options = null) => TypedPayload.FromObject<T>(Payload, options);

    /// <summary>"id (score)".</summary>
    public override string ToString() => $"{Id} ({Score:0.####})";
}
