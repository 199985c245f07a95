using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

/// <summary>
/// <c>vectlite export --to-qdrant</c> and <c>vectlite import --from-qdrant</c>, run as a user runs them, against the
/// server started in-process on loopback (the Qdrant API this machine can run): a round trip of a collection with named
/// vectors, payloads and payload indexes compared record by record; an export killed mid-way and resumed; bad
/// addresses and keys. Expected records are the ones the test wrote, kept in memory, never read back through the tool.
/// </summary>
public sealed class QdrantTransferTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vectlite-transfer-tests", Guid.NewGuid().ToString("N"));

    public QdrantTransferTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Url(ServerHost host) => $"http://127.0.0.1:{host.GrpcAddress!.Port}";

    /// <summary>Two named vectors, ids that are numbers and UUIDs, nested payloads with every JSON kind.</summary>
    private static List<Record> MixedRecords(int count)
    {
        var random = new Random(17);
        float[] Vector(int dimension) => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var records = new List<Record>(count);
        for (int i = 0; i < count; i++)
        {
            RecordId id = i % 5 == 0
                ? RecordId.FromGuid(new Guid(i, 0x1234, 0x4abc, 0x80, 1, 2, 3, 4, 5, 6, (byte)(i % 256)))
                : new RecordId((ulong)(i * 3 + 1));
            var record = new Record(id)
            {
                Vectors = { ["text"] = Vector(4), ["image"] = Vector(3) },
                Payload = new JsonObject
                {
                    ["lang"] = i % 3 == 0 ? "en" : "de",
                    ["year"] = 1990 + (i % 35),
                    ["score"] = i + 0.25,
                    ["draft"] = i % 2 == 0,
                    ["tags"] = new JsonArray("a", i % 4 == 0 ? "b" : "c"),
                    ["meta"] = new JsonObject { ["n"] = i, ["note"] = null, ["deep"] = new JsonObject { ["x"] = -i } },
                },
            };
            records.Add(record);
        }
        return records;
    }

    private static void CreateSource(string path, List<Record> records)
    {
        using Database db = Database.Open(path);
        Collection docs = db.CreateCollection("docs", new CollectionSchema()
            .AddVector("text", 4, Metric.Cosine)
            .AddVector("image", 3, Metric.L2)
            .WithHnsw(HnswOptions.Default with { M = 8, EfConstruction = 64 }));
        docs.CreatePayloadIndex("lang", PayloadIndexKind.Keyword);
        docs.CreatePayloadIndex("year", PayloadIndexKind.Numeric);
        docs.CreatePayloadIndex("draft", PayloadIndexKind.Bool);
        docs.UpsertMany(records);
    }

    /// <summary>Every expected record is in the collection with the same vectors (bit for bit, except that the cosine vector
    /// "text" is unit length, as Qdrant stores it) and payload, and nothing else is.</summary>
    private static void AssertSameRecords(List<Record> expected, Collection actual)
    {
        Assert.Equal(expected.Count, actual.Count());
        foreach (Record want in expected)
        {
            Record got = actual.Get(want.Id) ?? throw new Xunit.Sdk.XunitException($"record {want.Id} is missing");
            Assert.Equal(want.Vectors.Keys.Order(StringComparer.Ordinal), got.Vectors.Keys.Order(StringComparer.Ordinal));
            foreach ((string name, ReadOnlyMemory<float> vector) in want.Vectors)
            {
                if (name == "text")
                {
                    // Cosine: Qdrant (and so the server) stores the vector scaled to unit length; same direction, same scores.
                    double norm = Math.Sqrt(vector.ToArray().Sum(x => (double)x * x));
                    float[] unit = got.Vectors[name].ToArray();
                    Assert.Equal(vector.Length, unit.Length);
                    for (int i = 0; i < unit.Length; i++)
                    {
                        Assert.Equal(vector.Span[i] / norm, unit[i], 1e-6);
                    }
                }
                else
                {
                    Assert.Equal(vector.ToArray(), got.Vectors[name].ToArray()); // L2: bit for bit
                }
            }
            Assert.True(JsonNode.DeepEquals(want.Payload, got.Payload), $"record {want.Id}: payload {got.Payload?.ToJsonString()}, expected {want.Payload?.ToJsonString()}");
        }
    }

    private static void AssertSchema(Collection collection)
    {
        CollectionSchema schema = collection.Schema;
        Assert.Equal(["image: 3-d L2", "text: 4-d Cosine"], schema.Vectors.Select(v => $"{v.Name}: {v.Dimension}-d {v.Metric}").Order(StringComparer.Ordinal));
        Assert.Equal(8, schema.Hnsw.M);
        Assert.Equal(64, schema.Hnsw.EfConstruction);
        Assert.Equal(["draft Bool", "lang Keyword", "year Numeric"], collection.GetStats().PayloadIndexes.Select(p => $"{p.Field} {p.Kind}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Export_to_qdrant_then_import_back_keeps_every_record_vector_payload_and_index()
    {
        List<Record> records = MixedRecords(700);
        string source = Path.Combine(_dir, "source");
        CreateSource(source, records);
        await using ServerHost qdrant = await ServerHost.Start();
        string checkpoint = Path.Combine(_dir, "export.checkpoint.json");

        ToolResult export = ToolRun.Run("export", source, "docs", "--to-qdrant", Url(qdrant), "--collection", "copy", "--batch-size", "64", "--checkpoint", checkpoint);
        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.StartsWith("exported 700 records from docs to copy at ", export.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(checkpoint), "a completed copy deletes its checkpoint");
        Collection copy = qdrant.Database.GetCollection("copy");
        AssertSchema(copy);
        AssertSameRecords(records, copy);

        string back = Path.Combine(_dir, "back");
        ToolResult import = ToolRun.Run("import", back, "docs", "--from-qdrant", Url(qdrant), "--collection", "copy", "--batch-size", "50",
            "--checkpoint", Path.Combine(_dir, "import.checkpoint.json"));
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.StartsWith("imported 700 records from copy at ", import.Stdout, StringComparison.Ordinal);
        using Database backDb = Database.Open(back);
        Collection imported = backDb.GetCollection("docs");
        AssertSchema(imported);
        AssertSameRecords(records, imported);
    }

    [Fact]
    public async Task An_export_killed_mid_way_and_resumed_loses_and_duplicates_nothing()
    {
        const int Count = 20_000;
        float[][] vectors = TestData.Vectors(Count, 8, seed: 23);
        var records = vectors.Select((v, i) => new Record((ulong)i) { Vectors = { ["default"] = v }, Payload = new JsonObject { ["i"] = i } }).ToList();
        string source = Path.Combine(_dir, "source");
        using (Database db = Database.Open(source))
        {
            db.CreateCollection("big", CollectionSchema.SingleVector(8, Metric.Dot)).UpsertBulk(records);
        }
        await using ServerHost qdrant = await ServerHost.Start();
        string checkpoint = Path.Combine(_dir, "big.checkpoint.json");
        string[] args = ["export", source, "big", "--to-qdrant", Url(qdrant), "--batch-size", "100", "--checkpoint", checkpoint];

        // Kill the export (no chance to clean up, as a crash or a lost session) once some batches have arrived.
        long arrived;
        using (Process run = ToolRun.Start(args))
        {
            _ = run.StandardOutput.ReadToEndAsync();
            _ = run.StandardError.ReadToEndAsync();
            var guard = Stopwatch.StartNew();
            while ((arrived = Arrived(qdrant)) < 2_000 && !run.HasExited && guard.Elapsed < ServeProcess.HangGuard)
            {
                Thread.Sleep(2);
            }
            run.Kill(entireProcessTree: true);
            run.WaitForExit();
        }
        arrived = Arrived(qdrant);
        Assert.True(arrived is > 0 and < Count, $"the export was not interrupted mid-way: {arrived} of {Count} points had arrived");
        Assert.True(File.Exists(checkpoint), "the killed export left no checkpoint");
        long saved = JsonDocument.Parse(File.ReadAllText(checkpoint)).RootElement.GetProperty("copied").GetInt64();
        Assert.True(saved <= arrived, $"the checkpoint says {saved} copied, but only {arrived} arrived: it moved past an unacknowledged batch");

        // Starting over by mistake is refused; --resume continues from the checkpoint, not from the beginning.
        ToolResult again = ToolRun.Run(args);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("add --resume", again.Stderr, StringComparison.Ordinal);
        ToolResult resumed = ToolRun.Run([.. args, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains($"exported {Count:N0} records", resumed.Stdout, StringComparison.Ordinal);
        Assert.Contains($"(resumed: {(Count - saved).ToString("N0", CultureInfo.InvariantCulture)} in this run)", resumed.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(checkpoint));

        Collection copy = qdrant.Database.GetCollection("big");
        Assert.Equal(Count, copy.Count());
        for (int i = 0; i < Count; i++)
        {
            Record got = copy.Get((ulong)i) ?? throw new Xunit.Sdk.XunitException($"point {i} was lost");
            Assert.Equal(vectors[i], got.Vectors["default"].ToArray());
            Assert.Equal(i, (int)got.Payload!["i"]!);
        }
    }

    private static long Arrived(ServerHost host) =>
        host.Database.CollectionExists("big") ? host.Database.GetCollection("big").Count() : 0;

    [Fact]
    public async Task A_bad_address_or_api_key_fails_with_one_line_and_a_non_zero_exit_code()
    {
        string source = Path.Combine(_dir, "source");
        CreateSource(source, MixedRecords(10));
        await using ServerHost qdrant = await ServerHost.Start(new QdrantServerOptions { ApiKey = "right-key" });
        string checkpoint = Path.Combine(_dir, "c.json");

        ToolResult wrongKey = ToolRun.Run("export", source, "docs", "--to-qdrant", Url(qdrant), "--api-key", "wrong", "--checkpoint", checkpoint);
        AssertOneLineError(wrongKey, 1, "refused the API key");
        ToolResult noKey = ToolRun.Run("export", source, "docs", "--to-qdrant", Url(qdrant), "--checkpoint", checkpoint);
        AssertOneLineError(noKey, 1, "requires an API key");
        ToolResult importWrongKey = ToolRun.Run("import", Path.Combine(_dir, "new"), "docs", "--from-qdrant", Url(qdrant), "--api-key", "wrong", "--checkpoint", checkpoint);
        AssertOneLineError(importWrongKey, 1, "refused the API key");
        Assert.False(File.Exists(checkpoint), "a copy that never started left a checkpoint");

        // Nothing listens on port 1 of loopback: connection refused.
        ToolResult unreachable = ToolRun.Run("export", source, "docs", "--to-qdrant", "http://127.0.0.1:1", "--checkpoint", checkpoint);
        AssertOneLineError(unreachable, 1, "cannot reach a Qdrant gRPC API at http://127.0.0.1:1/");
        ToolResult notUrl = ToolRun.Run("export", source, "docs", "--to-qdrant", "ftp://example.com/x", "--checkpoint", checkpoint);
        AssertOneLineError(notUrl, 2, "is not a Qdrant gRPC address");
        ToolResult missing = ToolRun.Run("import", Path.Combine(_dir, "new"), "docs", "--from-qdrant", Url(qdrant), "--api-key", "right-key", "--collection", "nope", "--checkpoint", checkpoint);
        AssertOneLineError(missing, 1, "read collection nope");

        // With the right key it works.
        ToolResult ok = ToolRun.Run("export", source, "docs", "--to-qdrant", Url(qdrant), "--api-key", "right-key", "--checkpoint", checkpoint);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Equal(10, qdrant.Database.GetCollection("docs").Count());
    }

    private static void AssertOneLineError(ToolResult run, int exitCode, string fragment)
    {
        Assert.True(run.ExitCode == exitCode, run.ToString());
        Assert.False(run.HasStackTrace, run.ToString());
        string[] lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, run.ToString());
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(fragment, lines[0], StringComparison.Ordinal);
    }
}
