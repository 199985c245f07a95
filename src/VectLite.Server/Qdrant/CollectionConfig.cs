using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Qdrant's collection description and VectLite's <see cref="CollectionSchema"/>: reads a create request
/// (<c>vectors</c> with their <c>on_disk</c>, <c>hnsw_config</c>) and writes the collection info (<c>GET /collections/{name}</c>).
/// </summary>
/// <remarks>
/// A vector's <c>on_disk</c> maps to its <see cref="VectorStorage"/> (true: the float vectors memory-mapped from the
/// checkpoint files; false: in RAM) and is echoed in the info as given. Settings that describe Qdrant's distributed
/// storage (shards, replication, optimizers, WAL, the other on-disk flags: payload, HNSW graph) have no VectLite
/// counterpart: a create request may carry them and they are ignored; the info echoes Qdrant's defaults for them so
/// clients that read them find values. Sparse vectors, multi-vectors and quantization are refused.
/// </remarks>
internal static class CollectionConfig
{
    /// <summary>The schema for a create request.</summary>
    public static CollectionSchema ReadSchema(JsonElement request)
    {
        var schema = new CollectionSchema();
        if (JsonFields.Get(request, "vectors") is { } vectors)
        {
            if (vectors.ValueKind != JsonValueKind.Object)
            {
                throw QdrantException.BadRequest("`vectors` must be an object: {size, distance} or {name: {size, distance}}");
            }
            if (vectors.TryGetProperty("size", out _))
            {
                schema = AddVector(schema, CollectionSchema.DefaultVectorName, vectors);
            }
            else
            {
                foreach (JsonProperty named in vectors.EnumerateObject())
                {
                    schema = AddVector(schema, named.Name, named.Value);
                }
            }
        }
        if (JsonFields.Get(request, "sparse_vectors") is { } sparse && sparse.ValueKind == JsonValueKind.Object && sparse.EnumerateObject().Any())
        {
            throw QdrantException.Unsupported("sparse vectors (`sparse_vectors`)");
        }
        if (JsonFields.Get(request, "quantization_config") is not null)
        {
            throw QdrantException.Unsupported("quantization (`quantization_config`)");
        }
        if (JsonFields.Get(request, "hnsw_config") is { } hnsw)
        {
            schema = schema.WithHnsw(ReadHnsw(hnsw));
        }
        return schema;
    }

    private static CollectionSchema AddVector(CollectionSchema schema, string name, JsonElement parameters)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            throw QdrantException.BadRequest($"vector `{name}` must be an object with size and distance");
        }
        if (JsonFields.Get(parameters, "multivector_config") is not null)
        {
            throw QdrantException.Unsupported("multi-vectors (`multivector_config`)");
        }
        int size = JsonFields.Int(parameters, "size", 0, 1, VectorSpec.MaxDimension);
        if (size == 0)
        {
            throw QdrantException.BadRequest($"vector `{name}` needs a `size`");
        }
        return schema.AddVector(name, size, Distances.Parse(JsonFields.String(parameters, "distance")), QuantizationOptions.None, ReadStorage(parameters));
    }

    /// <summary>
    /// Qdrant's <c>on_disk</c> (original vectors memory-mapped from disk) as VectLite's <see cref="VectorStorage"/>: true is
    /// <see cref="VectorStorage.Disk"/>, false <see cref="VectorStorage.Ram"/>, absent <see cref="VectorStorage.Auto"/>
    /// (RAM here, since the server refuses quantization), so the info can echo exactly what the request said.
    /// </summary>
    private static VectorStorage ReadStorage(JsonElement parameters) => JsonFields.Get(parameters, "on_disk") is null
        ? VectorStorage.Auto
        : JsonFields.Bool(parameters, "on_disk", false) ? VectorStorage.Disk : VectorStorage.Ram;

    /// <summary>Qdrant's <c>m</c> and <c>ef_construct</c>; <c>m = 0</c> (no graph in Qdrant) keeps VectLite on exact scans.</summary>
    private static HnswOptions ReadHnsw(JsonElement hnsw)
    {
        HnswOptions options = HnswOptions.Default;
        int m = JsonFields.Int(hnsw, "m", options.M, 0, 512);
        int efConstruct = JsonFields.Int(hnsw, "ef_construct", options.EfConstruction, 4, 10_000);
        return m == 0
            ? HnswOptions.Disabled with { EfConstruction = efConstruct }
            : options with { M = m, EfConstruction = efConstruct };
    }

    /// <summary>
    /// What Qdrant's CollectionInfo reports, from VectLite's schema and stats, for either protocol to write: points in
    /// the default namespace, vectors in HNSW graphs, Qdrant's <c>m</c> (0 when the collection only scans exactly) and
    /// <c>indexing_threshold</c>, and the payload indexes.
    /// </summary>
    public sealed record Summary(CollectionSchema Schema, long Points, long IndexedVectors, int HnswM, int EfConstruct, int IndexingThreshold,
        IReadOnlyList<(string Field, PayloadIndexKind Kind)> PayloadIndexes)
    {
        /// <summary>Qdrant's default <c>full_scan_threshold</c>, reported because clients read it; VectLite's planner has its own rule.</summary>
        public const int FullScanThreshold = 10_000;
    }

    /// <summary>Summarises a collection for its info.</summary>
    public static Summary Summarize(Collection collection)
    {
        CollectionSchema schema = collection.Schema;
        CollectionStats stats = collection.GetStats();
        long points = stats.NamespaceCounts.TryGetValue("", out long count) ? count : 0;
        long indexed = stats.VectorIndexes.Where(v => v.Indexed).Sum(v => (long)(v.Nodes - v.DeadNodes));
        bool exactOnly = schema.Hnsw.MinIndexedVectors == int.MaxValue;
        return new Summary(schema, points, indexed, exactOnly ? 0 : schema.Hnsw.M, schema.Hnsw.EfConstruction,
            exactOnly ? 0 : schema.Hnsw.MinIndexedVectors, stats.PayloadIndexes);
    }

    /// <summary>Writes Qdrant's CollectionInfo.</summary>
    public static void WriteInfo(Utf8JsonWriter writer, Collection collection)
    {
        Summary summary = Summarize(collection);
        CollectionSchema schema = summary.Schema;
        long points = summary.Points;
        long indexed = summary.IndexedVectors;
        writer.WriteStartObject();
        writer.WriteString("status", "green");
        writer.WriteString("optimizer_status", "ok");
        writer.WriteNumber("indexed_vectors_count", indexed);
        writer.WriteNumber("points_count", points);
        writer.WriteNumber("segments_count", 1);
        writer.WriteStartObject("config");
        writer.WriteStartObject("params");
        writer.WritePropertyName("vectors");
        WriteVectors(writer, schema);
        writer.WriteNumber("shard_number", 1);
        writer.WriteNumber("replication_factor", 1);
        writer.WriteNumber("write_consistency_factor", 1);
        writer.WriteBoolean("on_disk_payload", true);
        writer.WriteEndObject();
        writer.WriteStartObject("hnsw_config");
        writer.WriteNumber("m", summary.HnswM);
        writer.WriteNumber("ef_construct", summary.EfConstruct);
        writer.WriteNumber("full_scan_threshold", Summary.FullScanThreshold);
        writer.WriteNumber("max_indexing_threads", 0);
        writer.WriteBoolean("on_disk", false);
        writer.WriteEndObject();
        writer.WriteStartObject("optimizer_config");
        writer.WriteNumber("deleted_threshold", 0.2);
        writer.WriteNumber("vacuum_min_vector_number", 1000);
        writer.WriteNumber("default_segment_number", 0);
        writer.WriteNull("max_segment_size");
        writer.WriteNull("memmap_threshold");
        writer.WriteNumber("indexing_threshold", summary.IndexingThreshold);
        writer.WriteNumber("flush_interval_sec", 5);
        writer.WriteNull("max_optimization_threads");
        writer.WriteEndObject();
        writer.WriteStartObject("wal_config");
        writer.WriteNumber("wal_capacity_mb", 32);
        writer.WriteNumber("wal_segments_ahead", 0);
        writer.WriteEndObject();
        writer.WriteNull("quantization_config");
        writer.WriteEndObject();
        writer.WriteStartObject("payload_schema");
        foreach ((string field, PayloadIndexKind kind) in summary.PayloadIndexes)
        {
            writer.WriteStartObject(field);
            writer.WriteString("data_type", PayloadIndexes.Name(kind));
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteVectors(Utf8JsonWriter writer, CollectionSchema schema)
    {
        if (VectorNames.IsUnnamed(schema))
        {
            WriteVector(writer, schema.Vectors[0]);
            return;
        }
        writer.WriteStartObject();
        foreach (VectorSpec spec in schema.Vectors)
        {
            writer.WritePropertyName(spec.Name);
            WriteVector(writer, spec);
        }
        writer.WriteEndObject();
    }

    private static void WriteVector(Utf8JsonWriter writer, VectorSpec spec)
    {
        writer.WriteStartObject();
        writer.WriteNumber("size", spec.Dimension);
        writer.WriteString("distance", Distances.Name(spec.Metric));
        // Qdrant leaves on_disk out when the create request did not set it; VectLite's Auto is that case.
        if (spec.Storage != VectorStorage.Auto)
        {
            writer.WriteBoolean("on_disk", spec.Storage == VectorStorage.Disk);
        }
        writer.WriteEndObject();
    }
}
