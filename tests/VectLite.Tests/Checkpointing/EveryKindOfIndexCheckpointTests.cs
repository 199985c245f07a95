using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Checkpointing;

/// <summary>
/// One collection with every kind of data and index at once (an SQ8-quantized dense vector, a sparse space, a
/// multi-vector space, a text index, a payload index) through checkpoints, deletes, verify and reopen. Each kind adds
/// files to the checkpoint (codes, text index) or sections to the records; the manifest lists them in one order that
/// the writer, the loader and the verifier must all agree on, so this guards their combination, not each alone.
/// </summary>
public sealed class EveryKindOfIndexCheckpointTests : IDisposable
{
    private const int Records = 1_200; // past the 1,000 vectors SQ8 trains from
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CollectionSchema Schema() =>
        new CollectionSchema()
            .AddVector("dense", 16, Metric.Cosine, QuantizationOptions.Sq8)
            .AddSparseVector("terms")
            .AddMultiVector("colbert", 8);

    /// <summary>Record i: a dense vector, a sparse vector with its own term 100,000 + i, two tokens, and a body with its own word.</summary>
    private static Record MakeRecord(int i)
    {
        var rng = new Random(i);
        float[] Vector(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1))];
        return new Record((ulong)i, Vector(16), new JsonObject { ["body"] = $"record word{i} shared text", ["even"] = i % 2 == 0 })
            .WithSparseVector("terms", new SparseVector([7u, (uint)(100_000 + i)], [0.5f, 1f]))
            .WithMultiVector("colbert", Vector(8), Vector(8));
    }

    private static void AssertFinds(Collection c, int i)
    {
        Record r = MakeRecord(i);
        Assert.Equal((ulong)i, c.SearchText("body", $"word{i}")[0].Id.AsNumber);
        Assert.Equal((ulong)i, c.SearchSparse("terms", new SparseVector([(uint)(100_000 + i)], [1f]))[0].Id.AsNumber);
        Assert.Equal((ulong)i, c.Search(r.Vector!.Value, new SearchOptions { TopK = 1 })[0].Id.AsNumber);
        Assert.Equal((ulong)i, c.SearchMultiVector("colbert", r.MultiVectors["colbert"], new SearchOptions { TopK = 1 })[0].Id.AsNumber);
        Assert.Equal(r.Vector!.Value.ToArray(), c.Get((ulong)i)!.Vectors["dense"].ToArray());
    }

    [Fact]
    public void Every_index_survives_checkpoints_deletes_verify_and_reopen()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", Schema());
            c.CreatePayloadIndex("even", PayloadIndexKind.Bool);
            c.CreateTextIndex("body", new TextIndexOptions { Fields = ["body"] });
            foreach (int[] chunk in Enumerable.Range(0, Records).Chunk(300))
            {
                c.UpsertMany(chunk.Select(MakeRecord));
            }
            c.Compact();
            c.DeleteMany(Enumerable.Range(0, 100).Select(i => new RecordId((ulong)i)));
            c.Compact(); // a checkpoint that drops rows: every index is rebuilt or remapped into the compacted state
            c.Upsert(MakeRecord(Records)); // and one batch in the log after it

            string[] files = [.. Directory.EnumerateFiles(_temp.CollectionDirectory("docs")).Select(Path.GetFileName)!];
            Assert.Contains(files, f => f!.EndsWith(".vlq", StringComparison.Ordinal));    // the SQ8 codes
            Assert.Contains(files, f => f!.EndsWith(".vltext", StringComparison.Ordinal)); // the text index
            AssertFinds(c, 500);
        }

        VerifyReport report = Database.Verify(_temp.Path);
        Assert.True(report.IsIntact, string.Join('\n', report.Findings));

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(Records + 1 - 100, c.Count());
            VectorIndexStats dense = c.GetStats().VectorIndexes.Single(v => v.VectorName == "dense");
            Assert.Equal("loaded", dense.Origin);
            Assert.Contains("loaded", dense.Quantization, StringComparison.Ordinal);
            AssertFinds(c, 500);
            AssertFinds(c, Records); // from the log
            Assert.Empty(c.SearchText("body", "word50"));  // deleted
            Assert.Equal(Records - 100 + 1, c.SearchText("body", "shared", new TextSearchOptions { TopK = 10_000 }).Count);
            Assert.Equal(551, c.Count(Filter.Eq("even", true))); // 100..1,198 even (550), and 1,200
        }
    }
}
