using System.Text.Json.Nodes;

namespace VectLite;

/// <summary>
/// A record to write, or one read back: an id, an optional namespace, dense vectors, a JSON payload and an optional expiry.
/// </summary>
/// <example>
/// <code>
/// var r = new Record(42, embedding, new JsonObject { ["title"] = "Dune", ["year"] = 1965 });
/// var named = new Record("doc-7") { Namespace = "tenant-a", TimeToLive = TimeSpan.FromHours(1) }
///     .WithVector("text", textVector).WithVector("image", imageVector);
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
    /// Vectors by name. On write, every named vector of the schema must be present (here or via <see cref="Vector"/>).
    /// Read back, they are bit for bit the values written, for every metric (cosine vectors are not normalised).
    /// </summary>
    public Dictionary<string, ReadOnlyMemory<float>> Vectors => _vectors ??= new(StringComparer.Ordinal);

    /// <summary>True when <see cref="Vectors"/> holds at least one entry (without creating the dictionary).</summary>
    internal bool HasNamedVectors => _vectors is { Count: > 0 };

    private Dictionary<string, ReadOnlyMemory<float>>? _vectors;

    /// <summary>The JSON payload: any object (strings, numbers, bools, nulls, arrays, nested objects), or null for none.</summary>
    public JsonObject? Payload { get; set; }

    /// <summary>When the record expires (becomes invisible to every read, and is removed at the next checkpoint); null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>On write, an alternative to <see cref="ExpiresAt"/>: the record expires this long after the write. Must be positive.</summary>
    public TimeSpan? TimeToLive { get; set; }

    /// <summary>Sets a named vector and returns this record.</summary>
    public Record WithVector(string name, ReadOnlyMemory<float> vector)
    {
        ArgumentNullException.ThrowIfNull(name);
        Vectors[name] = vector;
        return this;
    }
}
