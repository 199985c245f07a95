using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace VectLite;

/// <summary>One search result.</summary>
/// <remarks>
/// <para>Kept small, because a search returns one per hit: the id, namespace, score and expiry are fields; the payload
/// is kept as the stored (immutable) JSON and turned into a <see cref="JsonObject"/> only when <see cref="Payload"/> is
/// first read; the vectors, rarely requested, live in one side object.</para>
/// <para>Thread safety: a hit may be read from several threads; the first read of <see cref="Payload"/> publishes one
/// object, which every later read returns.</para>
/// </remarks>
public sealed class SearchHit
{
    /// <summary>The stored payload not yet turned into <see cref="_payload"/> (default: none, or already turned).</summary>
    private readonly JsonElement _storedPayload;

    /// <summary>The payload object, made on the first read of <see cref="Payload"/> (or given).</summary>
    private JsonObject? _payload;

    /// <summary>UTC ticks of the expiry; 0 for none.</summary>
    private readonly long _expiresAtTicks;

    /// <summary>The requested vectors, or null: one reference instead of three fields in every hit.</summary>
    private readonly HitVectors? _vectors;

    internal SearchHit(RecordId id, string @namespace, float score, JsonObject? payload, IReadOnlyDictionary<string, ReadOnlyMemory<float>>? vectors, ReadOnlyMemory<float>? vector, DateTimeOffset? expiresAt,
        IReadOnlyDictionary<string, SparseVector>? sparseVectors = null)
        : this(id, @namespace, score, default, expiresAt?.UtcTicks ?? 0, HitVectors.Of(vectors, vector, sparseVectors))
    {
        _payload = payload;
    }

    /// <summary>
    /// A hit whose payload is the stored <paramref name="storedPayload"/> (an element that owns its memory and is never
    /// changed), turned into a fresh <see cref="JsonObject"/> only when <see cref="Payload"/> is read. Default: no payload.
    /// </summary>
    internal SearchHit(RecordId id, string @namespace, float score, JsonElement storedPayload, long expiresAtTicks, HitVectors? vectors)
    {
        Id = id;
        Namespace = @namespace;
        Score = score;
        _storedPayload = storedPayload.ValueKind == JsonValueKind.Object ? storedPayload : default;
        _expiresAtTicks = expiresAtTicks;
        _vectors = vectors;
    }

    /// <summary>
    /// This hit with another score (a fused one): the payload stays as it is (unmade, or the same object when it was given
    /// or made) when <paramref name="keepPayload"/>, the vectors when <paramref name="keepVectors"/>.
    /// </summary>
    internal SearchHit WithScore(float score, bool keepPayload, bool keepVectors) => new(this, score, keepPayload, keepVectors);

    private SearchHit(SearchHit hit, float score, bool keepPayload, bool keepVectors)
    {
        Id = hit.Id;
        Namespace = hit.Namespace;
        Score = score;
        _expiresAtTicks = hit._expiresAtTicks;
        _vectors = keepVectors ? hit._vectors : null;
        if (keepPayload)
        {
            _payload = Volatile.Read(ref hit._payload);
            _storedPayload = _payload is null ? hit._storedPayload : default;
        }
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
    /// <remarks>
    /// Made from the stored payload on the first read (a search that never reads it does not pay for it), as the search
    /// saw it: a later write to the record does not change it. Every read returns that same object, so changes made to it
    /// stay.
    /// </remarks>
    public JsonObject? Payload
    {
        get
        {
            JsonObject? payload = Volatile.Read(ref _payload);
            if (payload is not null || _storedPayload.ValueKind != JsonValueKind.Object)
            {
                return payload;
            }
            // Two threads reading at once may both make one; only the first is published and returned to both.
            JsonObject made = Storage.PayloadJson.ToObject(_storedPayload)!;
            return Interlocked.CompareExchange(ref _payload, made, null) ?? made;
        }
    }

    /// <summary>
    /// The vectors by name, when requested (<see cref="SearchOptions.IncludeVectors"/>): bit for bit as they were
    /// written, for every metric. The same type as <see cref="Record.Vectors"/>, so a hit's vectors can be copied into a
    /// record as they are.
    /// </summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<float>>? Vectors => _vectors?.Dense;

    /// <summary>
    /// The vector, when requested and the collection has exactly one named vector (as <see cref="Record.Vector"/>);
    /// null otherwise.
    /// </summary>
    public ReadOnlyMemory<float>? Vector => _vectors?.Single;

    /// <summary>
    /// The sparse vectors by space name, when vectors are requested (<see cref="SearchOptions.IncludeVectors"/>) and the
    /// record holds any: exactly as written. Null otherwise.
    /// </summary>
    public IReadOnlyDictionary<string, SparseVector>? SparseVectors => _vectors?.Sparse;

    /// <summary>When the record expires, or null.</summary>
    public DateTimeOffset? ExpiresAt => _expiresAtTicks != 0 ? new DateTimeOffset(_expiresAtTicks, TimeSpan.Zero) : null;

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

