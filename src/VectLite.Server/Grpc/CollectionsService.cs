using System.Diagnostics;
using Grpc.Core;
using VectLite.Server.Grpc.Messages;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;
using CollectionConfig = VectLite.Server.Qdrant.CollectionConfig;

namespace VectLite.Server.Grpc;

/// <summary>
/// <c>qdrant.Collections</c>: Get, List, Create, Delete, CollectionExists, with the REST endpoints' semantics (the create
/// request goes through <see cref="CollectionConfig.ReadSchema"/>, the info comes from <see cref="CollectionConfig.Summarize"/>).
/// Aliases, cluster setup, shard keys and collection updates are not served: <c>UNIMPLEMENTED</c>, as for any method
/// the base class does not override.
/// </summary>
internal sealed class CollectionsService(ServerState state) : Collections.CollectionsBase
{
    public override Task<ListCollectionsResponse> List(ListCollectionsRequest request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        var response = new ListCollectionsResponse();
        response.Collections.AddRange(state.Database.ListCollections().Select(name => new CollectionDescription { Name = name }));
        response.Time = Elapsed(started);
        return Task.FromResult(response);
    }

    public override async Task<CollectionOperationResponse> Create(CreateCollection request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        CollectionSchema schema = CollectionConfig.ReadSchema(ProtoRequests.CreateCollection(request));
        string name = request.CollectionName;
        await state.Write(name, () => state.Database.CreateCollection(name, schema), context.CancellationToken).ConfigureAwait(false);
        return new CollectionOperationResponse { Result = true, Time = Elapsed(started) };
    }

    public override Task<GetCollectionInfoResponse> Get(GetCollectionInfoRequest request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        CollectionConfig.Summary summary = CollectionConfig.Summarize(state.Collection(request.CollectionName));
        return Task.FromResult(new GetCollectionInfoResponse { Result = Info(summary), Time = Elapsed(started) });
    }

    /// <summary>True when a collection was dropped, false when there was none (as the REST endpoint).</summary>
    public override async Task<CollectionOperationResponse> Delete(DeleteCollection request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        string name = request.CollectionName;
        bool dropped = false;
        await state.Write(name, () =>
        {
            try
            {
                dropped = state.Database.DropCollection(name);
            }
            catch (InvalidNameException)
            {
                dropped = false; // a name VectLite cannot store names no collection
            }
        }, context.CancellationToken).ConfigureAwait(false);
        return new CollectionOperationResponse { Result = dropped, Time = Elapsed(started) };
    }

    public override Task<CollectionExistsResponse> CollectionExists(CollectionExistsRequest request, ServerCallContext context)
    {
        long started = Stopwatch.GetTimestamp();
        bool exists;
        try
        {
            exists = state.Database.CollectionExists(request.CollectionName);
        }
        catch (InvalidNameException)
        {
            exists = false;
        }
        return Task.FromResult(new CollectionExistsResponse { Result = new CollectionExists { Exists = exists }, Time = Elapsed(started) });
    }

    /// <summary>Qdrant's CollectionInfo, with the same values the REST endpoint reports (see <see cref="CollectionConfig.WriteInfo"/>).</summary>
    private static CollectionInfo Info(CollectionConfig.Summary summary)
    {
        CollectionSchema schema = summary.Schema;
        var parameters = new CollectionParams { ShardNumber = 1, ReplicationFactor = 1, WriteConsistencyFactor = 1, VectorsConfig = new VectorsConfig() };
        if (VectorNames.IsUnnamed(schema))
        {
            parameters.VectorsConfig.Params = Params(schema.Vectors[0]);
        }
        else
        {
            parameters.VectorsConfig.ParamsMap = new VectorParamsMap();
            foreach (VectorSpec spec in schema.Vectors)
            {
                parameters.VectorsConfig.ParamsMap.Map[spec.Name] = Params(spec);
            }
        }
        var info = new CollectionInfo
        {
            Status = CollectionStatus.Green,
            OptimizerStatus = new OptimizerStatus { Ok = true },
            SegmentsCount = 1,
            PointsCount = (ulong)summary.Points,
            IndexedVectorsCount = (ulong)summary.IndexedVectors,
            Config = new Messages.CollectionConfig
            {
                Params = parameters,
                HnswConfig = new HnswConfigDiff
                {
                    M = (ulong)summary.HnswM,
                    EfConstruct = (ulong)summary.EfConstruct,
                    FullScanThreshold = CollectionConfig.Summary.FullScanThreshold,
                    MaxIndexingThreads = 0,
                },
                OptimizerConfig = new OptimizersConfigDiff
                {
                    DeletedThreshold = 0.2,
                    VacuumMinVectorNumber = 1000,
                    DefaultSegmentNumber = 0,
                    IndexingThreshold = (ulong)summary.IndexingThreshold,
                    FlushIntervalSec = 5,
                },
                WalConfig = new WalConfigDiff { WalCapacityMb = 32, WalSegmentsAhead = 0 },
            },
        };
        foreach ((string field, PayloadIndexKind kind) in summary.PayloadIndexes)
        {
            info.PayloadSchema[field] = new PayloadSchemaInfo { DataType = kind switch
            {
                PayloadIndexKind.Keyword => PayloadSchemaType.Keyword,
                PayloadIndexKind.Bool => PayloadSchemaType.Bool,
                _ => PayloadSchemaType.Float, // VectLite's one numeric index holds integers and floats alike
            } };
        }
        return info;
    }

    private static VectorParams Params(VectorSpec spec)
    {
        var parameters = new VectorParams
        {
            Size = (ulong)spec.Dimension,
            Distance = spec.Metric switch
            {
                Metric.Cosine => Distance.Cosine,
                Metric.L2 => Distance.Euclid,
                Metric.Dot => Distance.Dot,
                Metric.L1 => Distance.Manhattan,
                _ => throw QdrantException.BadRequest($"metric {spec.Metric} has no Qdrant distance"),
            },
        };
        // As REST: on_disk is echoed when the create request set it (Auto is "not set").
        if (spec.Storage != VectorStorage.Auto)
        {
#pragma warning disable CS0612 // deprecated in Qdrant's proto for `memory`; the clients still read it
            parameters.OnDisk = spec.Storage == VectorStorage.Disk;
#pragma warning restore CS0612
        }
        return parameters;
    }

    internal static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;
}
