using Qdrant.Client;
using Qdrant.Client.Grpc;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

/// <summary>
/// docs/scaling.md's migration code, run between two VectLite servers (the second standing in for a Qdrant cluster: the
/// same API): every point, vector and payload and the payload index arrive.
/// </summary>
public sealed class ScalingGuideTests
{
    [Fact]
    public async Task The_migration_code_in_the_scaling_guide_copies_a_collection_through_the_qdrant_api()
    {
        await using ServerHost from = await ServerHost.Start();
        await using ServerHost to = await ServerHost.Start();
        float[][] vectors = TestData.Vectors(2500, 3, seed: 5);
        Collection docs = from.Database.CreateCollection("docs", new CollectionSchema().AddVector("default", 3, Metric.L2));
        docs.UpsertMany(vectors.Select((v, i) => new Record((ulong)(i + 1)) { Vectors = { ["default"] = v }, Payload = new() { ["i"] = i } }).ToList());
        docs.CreatePayloadIndex("i", PayloadIndexKind.Numeric);

        // --- as in docs/scaling.md, step 3 (addresses and keys aside) ---
        using var source = new QdrantClient(from.GrpcAddress!.Host, from.GrpcAddress.Port);
        using var target = new QdrantClient(to.GrpcAddress!.Host, to.GrpcAddress.Port);

        CollectionInfo info = await source.GetCollectionInfoAsync("docs");
        await target.CreateCollectionAsync("docs", info.Config.Params.VectorsConfig.Params);
        foreach ((string field, PayloadSchemaInfo schema) in info.PayloadSchema)
        {
            await target.CreatePayloadIndexAsync("docs", field, schema.DataType);
        }
        PointId? offset = null;
        do
        {
            ScrollResponse page = await source.ScrollAsync("docs", limit: 1000, offset: offset, payloadSelector: true, vectorsSelector: true);
            await target.UpsertAsync("docs", page.Result.Select(p => new PointStruct
            {
                Id = p.Id,
                Vectors = p.Vectors.Vector.Dense.Data.ToArray(),
                Payload = { p.Payload },
            }).ToList());
            offset = page.NextPageOffset;
        }
        while (offset is not null);
        // --- end of the guide's code ---

        Collection copy = to.Database.GetCollection("docs");
        Assert.Equal(2500, copy.Count());
        Assert.Equal(Metric.L2, copy.Schema.Vectors[0].Metric);
        Assert.Contains(copy.GetStats().PayloadIndexes, index => index.Field == "i" && index.Kind == PayloadIndexKind.Numeric);
        for (int i = 0; i < vectors.Length; i++)
        {
            Record record = copy.Get((ulong)(i + 1))!;
            Assert.Equal(vectors[i], record.Vectors["default"].ToArray());
            Assert.Equal(i, (int)record.Payload!["i"]!);
        }
    }
}
