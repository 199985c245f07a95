using Qdrant.Client.Grpc;
using Metric = VectLite.Metric;

namespace VectLite.Cli.Qdrant;

/// <summary>
/// A VectLite collection's schema as a Qdrant collection and back: dense vectors (one vector named "default" is
/// Qdrant's unnamed vector, as <c>vectlite serve</c> maps it), distance, HNSW <c>m</c> and <c>ef_construct</c>, and
/// payload indexes.
/// </summary>
/// <remarks>
/// What has no counterpart is refused before anything is written (sparse and multi-vector spaces, because a copy
/// without them would not answer the same queries) or left out with a note on stderr (VectLite's text indexes, whose
/// BM25 analyzers Qdrant's full-text index does not reproduce; Qdrant's geo, datetime and text payload indexes, which
/// VectLite's filters cannot use). Quantization stays behind on both sides: the full vectors travel.
/// </remarks>
internal static class QdrantSchema
{
    /// <summary>The Qdrant create request for a VectLite collection.</summary>
    /// <exception cref="CliUsageException">The collection has sparse or multi-vector spaces.</exception>
    public static CreateCollection ToQdrant(Collection collection, string targetName)
    {
        CollectionSchema schema = collection.Schema;
        if (schema.SparseVectors.Count > 0 || schema.MultiVectors.Count > 0)
        {
            string spaces = string.Join(", ", schema.SparseVectors.Select(s => $"sparse '{s.Name}'").Concat(schema.MultiVectors.Select(m => $"multi-vector '{m.Name}'")));
            throw new CliUsageException($"collection '{collection.Name}' has {spaces}: --to-qdrant copies dense vectors and payloads only, and a copy without these spaces would not answer the same queries.");
        }
        var request = new CreateCollection { CollectionName = targetName, VectorsConfig = new VectorsConfig() };
        if (IsUnnamed(schema))
        {
            request.VectorsConfig.Params = Params(schema.Vectors[0]);
        }
        else
        {
            request.VectorsConfig.ParamsMap = new VectorParamsMap();
            foreach (VectorSpec spec in schema.Vectors)
            {
                request.VectorsConfig.ParamsMap.Map[spec.Name] = Params(spec);
            }
        }
        bool exactOnly = schema.Hnsw.MinIndexedVectors == int.MaxValue; // HnswOptions.Disabled: Qdrant's m = 0
        request.HnswConfig = new HnswConfigDiff { M = exactOnly ? 0UL : (ulong)schema.Hnsw.M, EfConstruct = (ulong)schema.Hnsw.EfConstruction };
        return request;
    }

    /// <summary>The payload indexes to create in Qdrant, with Qdrant's type for each.</summary>
    public static IReadOnlyList<(string Field, PayloadSchemaType Type)> PayloadIndexes(Collection collection) =>
        collection.GetStats().PayloadIndexes.Select(index => (index.Field, index.Kind switch
        {
            PayloadIndexKind.Keyword => PayloadSchemaType.Keyword,
            PayloadIndexKind.Bool => PayloadSchemaType.Bool,
            _ => PayloadSchemaType.Float, // VectLite's one numeric index holds integers and floats alike
        })).ToList();

    /// <summary>True when the schema is one vector named "default": Qdrant's unnamed vector.</summary>
    public static bool IsUnnamed(CollectionSchema schema) =>
        schema.Vectors.Count == 1 && schema.Vectors[0].Name == CollectionSchema.DefaultVectorName;

    /// <summary>The VectLite schema for a Qdrant collection.</summary>
    /// <exception cref="CliUsageException">The collection uses what VectLite cannot hold (sparse vectors, multi-vectors, an unknown distance).</exception>
    public static CollectionSchema FromQdrant(string name, CollectionInfo info)
    {
        CollectionParams parameters = info.Config.Params;
        if (parameters.SparseVectorsConfig is { Map.Count: > 0 })
        {
            throw new CliUsageException($"Qdrant collection '{name}' has sparse vectors ({string.Join(", ", parameters.SparseVectorsConfig.Map.Keys)}): --from-qdrant copies dense vectors only.");
        }
        var schema = new CollectionSchema();
        VectorsConfig? vectors = parameters.VectorsConfig;
        if (vectors?.ConfigCase == VectorsConfig.ConfigOneofCase.Params)
        {
            schema = Add(schema, name, CollectionSchema.DefaultVectorName, vectors.Params);
        }
        else if (vectors?.ConfigCase == VectorsConfig.ConfigOneofCase.ParamsMap)
        {
            foreach ((string vectorName, VectorParams p) in vectors.ParamsMap.Map)
            {
                schema = Add(schema, name, vectorName, p);
            }
        }
        if (info.Config.HnswConfig is { } hnsw)
        {
            HnswOptions options = HnswOptions.Default;
            int efConstruct = hnsw.HasEfConstruct ? (int)Math.Clamp(hnsw.EfConstruct, 4UL, 10_000UL) : options.EfConstruction;
            options = hnsw.HasM && hnsw.M == 0
                ? HnswOptions.Disabled with { EfConstruction = efConstruct }
                : options with { M = hnsw.HasM ? (int)Math.Clamp(hnsw.M, 2UL, 512UL) : options.M, EfConstruction = efConstruct };
            schema = schema.WithHnsw(options);
        }
        return schema;
    }

    /// <summary>The VectLite payload index for a Qdrant one, or null (with the reason) when VectLite has none.</summary>
    public static (PayloadIndexKind? Kind, string? Skipped) PayloadIndex(PayloadSchemaType type) => type switch
    {
        PayloadSchemaType.Keyword or PayloadSchemaType.Uuid => (PayloadIndexKind.Keyword, null),
        PayloadSchemaType.Integer or PayloadSchemaType.Float => (PayloadIndexKind.Numeric, null),
        PayloadSchemaType.Bool => (PayloadIndexKind.Bool, null),
        _ => (null, $"a {type} index has no VectLite counterpart"),
    };

    private static CollectionSchema Add(CollectionSchema schema, string collection, string vectorName, VectorParams p)
    {
        if (p.MultivectorConfig is not null)
        {
            throw new CliUsageException($"Qdrant collection '{collection}': vector '{vectorName}' is a multi-vector; --from-qdrant copies dense vectors only.");
        }
        Metric metric = p.Distance switch
        {
            Distance.Cosine => Metric.Cosine,
            Distance.Euclid => Metric.L2,
            Distance.Dot => Metric.Dot,
            Distance.Manhattan => Metric.L1,
            _ => throw new CliUsageException($"Qdrant collection '{collection}': vector '{vectorName}' has distance {p.Distance}, which VectLite does not have."),
        };
        if (p.Size is 0 or > VectorSpec.MaxDimension)
        {
            throw new CliUsageException($"Qdrant collection '{collection}': vector '{vectorName}' has {p.Size} dimensions; VectLite holds 1 to {VectorSpec.MaxDimension}.");
        }
        return schema.AddVector(vectorName, (int)p.Size, metric);
    }

    /// <summary>Qdrant's parameters for one vector. VectLite's quantization is not carried over: the full vectors go,
    /// and Qdrant quantizes with its own <c>quantization_config</c> if asked.</summary>
    private static VectorParams Params(VectorSpec spec) =>
        new()
        {
            Size = (ulong)spec.Dimension,
            Distance = spec.Metric switch
            {
                Metric.Cosine => Distance.Cosine,
                Metric.L2 => Distance.Euclid,
                Metric.Dot => Distance.Dot,
                Metric.L1 => Distance.Manhattan,
                _ => throw new CliUsageException($"vector '{spec.Name}': metric {spec.Metric} has no Qdrant distance."),
            },
        };
}
