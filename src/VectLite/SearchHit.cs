using System.Text.Json.Nodes;

namespace VectLite;

/// <summary>One search result.</summary>
public sealed class SearchHit
{
    internal SearchHit(RecordId id, string @namespace, float score, JsonObject? payload, IReadOnlyDictionary<string, float[]>? vectors, DateTimeOffset? expiresAt)
    {
        Id = id;
        Namespace = @namespace;
        Score = score;
        Payload = payload;
        Vectors = vectors;
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

    /// <summary>The vectors by name, when requested: bit for bit as they were written, for every metric.</summary>
    public IReadOnlyDictionary<string, float[]>? Vectors { get; }

    /// <summary>When the record expires, or null.</summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>"id (score)".</summary>
    public override string ToString() => $"{Id} ({Score:0.####})";
}
