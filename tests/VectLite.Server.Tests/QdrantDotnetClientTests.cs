using System.Globalization;
using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using VectLite.Server.Tests.Support;
using static Qdrant.Client.Grpc.Conditions;

namespace VectLite.Server.Tests;

/// <summary>
/// The official .NET client, <c>Qdrant.Client</c> 1.20.0 (gRPC), against the server's gRPC API: a scripted scenario
/// (create, payload index, batch upsert, filtered query and search, get, scroll in pages, count, set payload, delete by
/// filter, a fused hybrid query, drop) and the error cases, each with the status code Qdrant gives. Every expected value
/// is a literal or computed here by brute force over the test's own data.
/// </summary>
public sealed class QdrantDotnetClientTests
{
    private const string Key = "grpc-scenario-key";
    private const int Dimension = 4;
    private static readonly Guid Uuid = Guid.Parse("6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");

    /// <summary>The scenario's points: ids 1..39 and one UUID, groups a/b/c by id mod 3, n = the id (0 for the UUID).</summary>
    private static readonly float[][] Vectors = TestData.Vectors(40, Dimension, seed: 12);

    private static PointId IdOf(int index) => index < 39 ? (ulong)(index + 1) : Uuid;

    private static string GroupOf(int index) => ((index + 1) % 3) switch { 0 => "a", 1 => "b", _ => "c" };

    private static QdrantClient Client(ServerHost host, string? apiKey = Key) =>
        new(host.GrpcAddress!.Host, host.GrpcAddress.Port, https: false, apiKey: apiKey);

    [Fact]
    public async Task The_official_dotnet_client_runs_the_scenario_over_grpc()
    {
        await using ServerHost host = await ServerHost.Start(new QdrantServerOptions { ApiKey = Key });
        using QdrantClient client = Client(host);

        HealthCheckReply health = await client.HealthAsync();
        Assert.Equal("1.19.0", health.Version);

        await client.CreateCollectionAsync("docs", new VectorParams { Size = Dimension, Distance = Distance.Euclid });
        Assert.True(await client.CollectionExistsAsync("docs"));
        Assert.Contains("docs", await client.ListCollectionsAsync());
        await client.CreatePayloadIndexAsync("docs", "group", PayloadSchemaType.Keyword);

        var points = Enumerable.Range(0, Vectors.Length).Select(i => new PointStruct
        {
            Id = IdOf(i),
            Vectors = Vectors[i],
            Payload = { ["group"] = GroupOf(i), ["n"] = i < 39 ? i + 1 : 0, ["weight"] = 0.5 * i },
        }).ToList();
        UpdateResult upsert = await client.UpsertAsync("docs", points);
        Assert.Equal(UpdateStatus.Completed, upsert.Status);

        CollectionInfo info = await client.GetCollectionInfoAsync("docs");
        Assert.Equal(40UL, info.PointsCount);
        Assert.Equal(4UL, info.Config.Params.VectorsConfig.Params.Size);
        Assert.Equal(Distance.Euclid, info.Config.Params.VectorsConfig.Params.Distance);
        Assert.Equal(PayloadSchemaType.Keyword, info.PayloadSchema["group"].DataType);

        // A filtered query: the 5 nearest of group "a", by brute force over the test's data (Euclid: the distance itself).
        float[] q = [0.1f, -0.2f, 0.3f, 0.05f];
        IReadOnlyList<ScoredPoint> queried = await client.QueryAsync("docs", query: q, filter: MatchKeyword("group", "a"), limit: 5, payloadSelector: true);
        AssertNearest(queried, q, Nearest(q, i => GroupOf(i) == "a", 5));
        Assert.All(queried, p => Assert.Equal("a", p.Payload["group"].StringValue));

        // The legacy search (obsolete in the client, still called by older code), with a numeric range on an unindexed field.
#pragma warning disable CS0618
        IReadOnlyList<ScoredPoint> searched = await client.SearchAsync("docs", q, filter: Range("n", new global::Qdrant.Client.Grpc.Range { Gte = 10, Lt = 30 }), limit: 4);
#pragma warning restore CS0618
        AssertNearest(searched, q, Nearest(q, i => i + 1 >= 10 && i + 1 < 30 && i < 39, 4));

        // Get: missing ids are skipped; vectors come back as written (Euclid is stored unnormalised), integers as integers.
        IReadOnlyList<RetrievedPoint> got = await client.RetrieveAsync("docs", [3UL, 999UL, Uuid], withPayload: true, withVectors: true);
        Assert.Equal(2, got.Count);
        Assert.Equal(3UL, got[0].Id.Num);
        Assert.Equal(Vectors[2], got[0].Vectors.Vector.Dense.Data.ToArray());
        Assert.Equal(3L, got[0].Payload["n"].IntegerValue);
        Assert.Equal(1.0, got[0].Payload["weight"].DoubleValue);
        Assert.Equal(Uuid.ToString(), got[1].Id.Uuid);
        Assert.Equal(Vectors[39], got[1].Vectors.Vector.Dense.Data.ToArray());

        // Scroll in pages of 7: every point once, numbers in order, then the UUID, in 6 pages.
        var scrolled = new List<string>();
        PointId? offset = null;
        int pages = 0;
        do
        {
            ScrollResponse page = await client.ScrollAsync("docs", limit: 7, offset: offset);
            scrolled.AddRange(page.Result.Select(p => Describe(p.Id)));
            offset = page.NextPageOffset;
            pages++;
        }
        while (offset is not null && pages < 100);
        Assert.Equal([.. Enumerable.Range(1, 39).Select(i => i.ToString(CultureInfo.InvariantCulture)), Uuid.ToString()], scrolled);
        Assert.Equal(6, pages);

        int groupB = Enumerable.Range(0, 40).Count(i => GroupOf(i) == "b");
        Assert.Equal((ulong)groupB, await client.CountAsync("docs", MatchKeyword("group", "b")));

        // Set payload on a filter: adds the key, keeps the others.
        await client.SetPayloadAsync("docs", new Dictionary<string, Value> { ["flag"] = true }, MatchKeyword("group", "b"));
        Assert.Equal((ulong)groupB, await client.CountAsync("docs", Match("flag", true)));
        RetrievedPoint b = (await client.RetrieveAsync("docs", 1UL, withPayload: true))[0];
        Assert.True(b.Payload["flag"].BoolValue);
        Assert.Equal("b", b.Payload["group"].StringValue);
        // The same point over REST: a payload written through gRPC reads back the same (integers stay integers, whole doubles stay doubles).
        Response rest = await host.Send(HttpMethod.Get, "/collections/docs/points/1", headers: h => h.Add("api-key", Key));
        Assert.Equal("""{"group":"b","n":1,"weight":0.0,"flag":true}""", rest.Result.GetProperty("payload").GetRawText());

        // Delete by filter.
        int groupC = Enumerable.Range(0, 40).Count(i => GroupOf(i) == "c");
        await client.DeleteAsync("docs", MatchKeyword("group", "c"));
        Assert.Equal((ulong)(40 - groupC), await client.CountAsync("docs"));
        Assert.Empty(await client.RetrieveAsync("docs", 2UL)); // id 2 is group c

        // A hybrid query: two dense prefetches fused by RRF (Qdrant's: sum of 1 / (2 + rank), ranks from 0).
        float[] q2 = [-0.4f, 0.2f, 0.0f, 0.6f];
        IReadOnlyList<ScoredPoint> fused = await client.QueryAsync("docs",
            prefetch: [new PrefetchQuery { Query = q, Limit = 5 }, new PrefetchQuery { Query = q2, Limit = 5 }],
            query: Fusion.Rrf, limit: 10);
        var expected = new Dictionary<string, double>();
        foreach (float[] vector in (float[][])[q, q2])
        {
            List<int> list = Nearest(vector, i => GroupOf(i) != "c", 5);
            for (int rank = 0; rank < list.Count; rank++)
            {
                string id = Describe(IdOf(list[rank]));
                expected[id] = expected.GetValueOrDefault(id) + 1.0 / (2 + rank);
            }
        }
        Assert.Equal(expected.Count, fused.Count);
        foreach (ScoredPoint point in fused)
        {
            Assert.Equal(expected[Describe(point.Id)], point.Score, 5);
        }
        Assert.True(fused.Zip(fused.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score), "fused scores in descending order");

        await client.DeleteCollectionAsync("docs");
        Assert.False(await client.CollectionExistsAsync("docs"));
        Assert.False(host.Database.CollectionExists("docs"));
    }

    [Fact]
    public async Task Errors_come_back_with_the_status_codes_qdrant_uses()
    {
        await using ServerHost host = await ServerHost.Start(new QdrantServerOptions { ApiKey = Key });
        using QdrantClient client = Client(host);

        RpcException unknown = await Assert.ThrowsAsync<RpcException>(() => client.CountAsync("nope"));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("Collection `nope` doesn't exist", unknown.Status.Detail, StringComparison.Ordinal);

        await client.CreateCollectionAsync("docs", new VectorParams { Size = Dimension, Distance = Distance.Cosine });
        RpcException exists = await Assert.ThrowsAsync<RpcException>(() => client.CreateCollectionAsync("docs", new VectorParams { Size = Dimension, Distance = Distance.Cosine }));
        Assert.Equal(StatusCode.AlreadyExists, exists.StatusCode);

        // A wrong dimension in a batch writes nothing of the batch.
        RpcException dimension = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("docs",
            [new PointStruct { Id = 1UL, Vectors = new float[] { 1, 0, 0, 0 } }, new PointStruct { Id = 2UL, Vectors = new float[] { 1, 0, 0 } }]));
        Assert.Equal(StatusCode.InvalidArgument, dimension.StatusCode);
        Assert.Contains("Vector dimension error: expected dim: 4, got 3", dimension.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0UL, await client.CountAsync("docs"));
        RpcException queryDimension = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("docs", query: new float[] { 1, 2 }));
        Assert.Equal(StatusCode.InvalidArgument, queryDimension.StatusCode);

        // A Qdrant feature VectLite lacks is refused by name.
        RpcException recommend = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("docs",
            query: new Query { Recommend = new RecommendInput { Positive = { new VectorInput { Id = 1UL } } } }));
        Assert.Equal(StatusCode.InvalidArgument, recommend.StatusCode);
        Assert.Contains("`recommend` query is not supported by VectLite", recommend.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_api_key_calls_are_permission_denied_as_in_qdrant_and_the_health_check_stays_open()
    {
        await using ServerHost host = await ServerHost.Start(new QdrantServerOptions { ApiKey = Key });
        using QdrantClient anonymous = Client(host, apiKey: null);
        using QdrantClient wrong = Client(host, apiKey: "not-the-key");

        RpcException missing = await Assert.ThrowsAsync<RpcException>(() => anonymous.CreateCollectionAsync("x", new VectorParams { Size = 2, Distance = Distance.Dot }));
        Assert.Equal(StatusCode.PermissionDenied, missing.StatusCode);
        RpcException refused = await Assert.ThrowsAsync<RpcException>(() => wrong.ListCollectionsAsync());
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.False(host.Database.CollectionExists("x"));

        Assert.Equal("1.19.0", (await anonymous.HealthAsync()).Version);
    }

    [Fact]
    public async Task A_grpc_message_over_the_size_limit_is_resource_exhausted_and_writes_nothing()
    {
        await using ServerHost host = await ServerHost.Start(new QdrantServerOptions { MaxRequestBodyBytes = 4096 });
        using QdrantClient client = Client(host, apiKey: null);
        await client.CreateCollectionAsync("docs", new VectorParams { Size = 2, Distance = Distance.Dot });
        var big = Enumerable.Range(1, 4).Select(i => new PointStruct { Id = (ulong)i, Vectors = new float[] { 1, 0 }, Payload = { ["pad"] = new string('x', 1500) } }).ToList();
        RpcException ex = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync("docs", big));
        Assert.True(ex.StatusCode == StatusCode.ResourceExhausted, $"expected ResourceExhausted, got {ex.Status}");
        Assert.Equal(0UL, await client.CountAsync("docs"));
        await client.UpsertAsync("docs", big.Take(1).ToList()); // under the limit: accepted
        Assert.Equal(1UL, await client.CountAsync("docs"));
    }

    [Fact]
    public async Task On_disk_maps_to_vector_storage_and_is_echoed_in_the_collection_info()
    {
        await using ServerHost host = await ServerHost.Start();
        using QdrantClient client = Client(host, apiKey: null);

#pragma warning disable CS0612 // OnDisk is deprecated in Qdrant's proto (for Memory); clients still send it
        await client.CreateCollectionAsync("single", new VectorParams { Size = 2, Distance = Distance.Dot, OnDisk = true });
        await client.CreateCollectionAsync("named", new VectorParamsMap
        {
            Map =
            {
                ["disk"] = new VectorParams { Size = 2, Distance = Distance.Dot, OnDisk = true },
                ["ram"] = new VectorParams { Size = 2, Distance = Distance.Dot, OnDisk = false },
                ["unset"] = new VectorParams { Size = 2, Distance = Distance.Dot },
            },
        });

        // The engine got the storage each vector asked for.
        Assert.Equal(VectorStorage.Disk, host.Database.GetCollection("single").Schema.Vectors[0].Storage);
        IReadOnlyList<VectorSpec> named = host.Database.GetCollection("named").Schema.Vectors;
        Assert.Equal(VectorStorage.Disk, named.Single(v => v.Name == "disk").Storage);
        Assert.Equal(VectorStorage.Ram, named.Single(v => v.Name == "ram").Storage);
        Assert.Equal(VectorStorage.Auto, named.Single(v => v.Name == "unset").Storage);

        // The info says it back as Qdrant does: the flag as given, and no flag where none was given.
        VectorParams single = (await client.GetCollectionInfoAsync("single")).Config.Params.VectorsConfig.Params;
        Assert.True(single.HasOnDisk && single.OnDisk);
        var map = (await client.GetCollectionInfoAsync("named")).Config.Params.VectorsConfig.ParamsMap.Map;
        Assert.True(map["disk"].HasOnDisk && map["disk"].OnDisk);
        Assert.True(map["ram"].HasOnDisk && !map["ram"].OnDisk);
        Assert.False(map["unset"].HasOnDisk);
#pragma warning restore CS0612

        // Vectors on disk read back exactly once a checkpoint has moved them into the memory-mapped file.
        await client.UpsertAsync("single", [.. Enumerable.Range(1, 3).Select(i => new PointStruct { Id = (ulong)i, Vectors = new float[] { i, 0.5f * i } })]);
        host.Database.GetCollection("single").Compact();
        IReadOnlyList<RetrievedPoint> got = await client.RetrieveAsync("single", [2UL], withPayload: false, withVectors: true);
        Assert.Equal(new float[] { 2, 1 }, got[0].Vectors.Vector.Dense.Data.ToArray());
    }

    [Fact]
    public async Task Vectlite_serve_answers_the_dotnet_client_and_a_sigterm_stops_it_gracefully_with_the_writes_on_disk()
    {
        string database = Path.Combine(Path.GetTempPath(), "vectlite-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using (ServeProcess server = ServeProcess.Start(database, "--port", "0", "--grpc-port", "0"))
            {
                Assert.NotNull(server.GrpcAddress);
                using var client = new QdrantClient(server.GrpcAddress.Host, server.GrpcAddress.Port, https: false);
                await client.CreateCollectionAsync("docs", new VectorParams { Size = 2, Distance = Distance.Dot });
                await client.UpsertAsync("docs", [.. Enumerable.Range(1, 3).Select(i => new PointStruct { Id = (ulong)i, Vectors = new float[] { i, -i }, Payload = { ["i"] = i } })]);
                Assert.Equal(3UL, await client.CountAsync("docs"));

                // The client's HTTP/2 connection is still open: the stop must not wait on it, nor cut a write.
                (int exit, string stdout) = server.Terminate();
                Assert.Equal(0, exit);
                Assert.Contains("flushed and closed", stdout, StringComparison.Ordinal);
            }
            using Database db = Database.Open(database);
            Collection docs = db.GetCollection("docs");
            Assert.Equal(3, docs.Count());
            Assert.Equal(new float[] { 2, -2 }, docs.Get(2UL)!.Vectors["default"].ToArray());
        }
        finally
        {
            if (Directory.Exists(database))
            {
                Directory.Delete(database, recursive: true);
            }
        }
    }

    /// <summary>The indexes of the <paramref name="k"/> points nearest <paramref name="q"/> (Euclid) among those <paramref name="keep"/> admits.</summary>
    private static List<int> Nearest(float[] q, Func<int, bool> keep, int k) =>
        [.. Enumerable.Range(0, Vectors.Length).Where(keep).OrderBy(i => TestData.Euclid(q, Vectors[i])).Take(k)];

    /// <summary>The hits are the expected points in order, each scored with its Euclidean distance (Qdrant's score for Euclid).</summary>
    private static void AssertNearest(IReadOnlyList<ScoredPoint> actual, float[] q, List<int> expected)
    {
        Assert.Equal(expected.Select(i => Describe(IdOf(i))), actual.Select(p => Describe(p.Id)));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(TestData.Euclid(q, Vectors[expected[i]]), actual[i].Score, 4);
        }
    }

    private static string Describe(PointId id) => id.PointIdOptionsCase == PointId.PointIdOptionsOneofCase.Num ? id.Num.ToString(CultureInfo.InvariantCulture) : id.Uuid;
}
