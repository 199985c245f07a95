using VectLite.Quantization;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Quantization;

/// <summary>
/// Codes persist at checkpoints and load on open without training; drift retrains at a checkpoint; verify checks the
/// codes file.
/// </summary>
public sealed class QuantizedPersistenceTests : IDisposable
{
    private const int Dimension = 16;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static float[][] Uniform(int count, int seed, float low, float high)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Dimension).Select(_ => low + ((high - low) * (float)random.NextDouble())).ToArray())];
    }

    private static CollectionSchema Schema(QuantizationKind kind) =>
        new CollectionSchema().AddVector("v", Dimension, Metric.L2, new QuantizationOptions { Kind = kind }).WithHnsw(new HnswOptions { MinIndexedVectors = 1 });

    [Theory]
    [InlineData(QuantizationKind.Sq8)]
    [InlineData(QuantizationKind.Binary)]
    [InlineData(QuantizationKind.RaBitQ)]
    public void A_reopen_loads_the_codes_the_checkpoint_wrote_instead_of_training(QuantizationKind kind)
    {
        // The first 1,000 vectors (one batch) train the codec: its ranges are theirs, computed here. Then 500 more, five
        // with component 0 at 50, far outside: 5 of 8,000 values clipped, too few to count as drift, so the checkpoint
        // keeps the codec. A retrain at the reopen would see the 50s and widen the range; loaded codes keep it.
        float[][] first = Uniform(QuantizationOptions.MinTrainingVectors, seed: 1, 0f, 1f);
        float[][] more = Uniform(500, seed: 2, 0f, 1f);
        for (int i = 0; i < 5; i++)
        {
            more[i * 100][0] = 50f;
        }
        float expectedMax0 = first.Max(v => v[0]);
        float expectedMin3 = first.Min(v => v[3]);
        byte[] codeBefore;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(kind));
            c.UpsertMany(first.Select((v, i) => new Record(i, v)));
            c.UpsertMany(more.Select((v, i) => new Record(first.Length + i, v)));
            c.Compact();
            var codes = c.Engine.StateForTests.Codes(0)!;
            Assert.Equal(expectedMax0, codes.Codec.Max[0]);
            codeBefore = codes.Store.GetView().Get(1200).ToArray();
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.StartsWith($"{kind}: trained (loaded), 1500 rows encoded", c.GetStats().VectorIndexes[0].Quantization);
            var state = c.Engine.StateForTests;
            Assert.Equal(0, state.TrainingsForTests);
            var codes = state.Codes(0)!;
            Assert.Equal(expectedMax0, codes.Codec.Max[0]);
            Assert.Equal(expectedMin3, codes.Codec.Min[3]);
            Assert.Equal(codeBefore, codes.Store.GetView().Get(1200).ToArray());
            if (kind == QuantizationKind.Sq8)
            {
                // (16 bits of binary code tie too often for a top-1 lookup to be a fair check)
                Assert.Equal((ulong)(first.Length + 200), c.Search(more[200], new SearchOptions { TopK = 1 }).Single().Id.AsNumber);
            }
            Assert.True(c.Verify().IsIntact, string.Join("; ", c.Verify().Findings));
        }
    }

    [Fact]
    public void Drifted_data_is_retrained_at_the_next_checkpoint()
    {
        float[][] first = Uniform(QuantizationOptions.MinTrainingVectors, seed: 3, 0f, 1f);
        float[][] shifted = Uniform(300, seed: 4, 5f, 6f); // every value outside [0, 1]: 100% clipped
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("c", Schema(QuantizationKind.Sq8));
        c.UpsertMany(first.Select((v, i) => new Record(i, v)));
        c.UpsertMany(shifted.Select((v, i) => new Record(first.Length + i, v)));
        Assert.Contains("100.00% of values clipped", c.GetStats().VectorIndexes[0].Quantization); // every value since training
        c.Compact();
        Assert.StartsWith("Sq8: trained (retrained), 1300 rows encoded, 0.00% of values clipped", c.GetStats().VectorIndexes[0].Quantization);
        float expectedMax = first.Concat(shifted).Max(v => v[0]);
        Assert.Equal(expectedMax, c.Engine.StateForTests.Codes(0)!.Codec.Max[0]);
    }

    [Fact]
    public void Verify_reports_a_damaged_codes_file_and_a_reopen_retrains_from_the_vectors()
    {
        float[][] vectors = Uniform(1200, seed: 5, -1f, 1f);
        string codesFile;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(QuantizationKind.Sq8));
            c.UpsertMany(vectors.Select((v, i) => new Record(i, v)));
            c.Compact();
            codesFile = Directory.GetFiles(_temp.CollectionDirectory("c"), "*.vlq").Single();
        }
        using (var stream = new FileStream(codesFile, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length - 3;
            stream.WriteByte(0x5A); // inside the last code
        }
        VerifyReport report = Database.Verify(_temp.Path);
        Assert.False(report.IsIntact);
        Assert.Contains(report.Findings, f => f.FilePath == codesFile && f.Severity == VerifySeverity.Damage);

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.StartsWith("Sq8: trained (trained)", c.GetStats().VectorIndexes[0].Quantization);
            Assert.Equal(vectors[7], c.Get(7)!.Vector!.Value.ToArray());
        }
    }

    [Fact]
    public void A_compaction_keeps_a_codec_that_has_not_drifted_and_encodes_the_renumbered_rows()
    {
        // In memory, so the compaction is the only thing a checkpoint does: the fresh state carries the trained codec
        // (same ranges, no training) and encodes its rows, renumbered after the deletes.
        float[][] vectors = Uniform(1200, seed: 6, 0f, 1f);
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", Schema(QuantizationKind.Sq8));
        c.UpsertMany(vectors.Select((v, i) => new Record(i, v)));
        float[] trainedMax = [.. c.Engine.StateForTests.Codes(0)!.Codec.Max];
        c.DeleteMany(Enumerable.Range(0, 100).Select(i => (RecordId)i));
        c.Compact();
        Assert.StartsWith("Sq8: trained (carried), 1100 rows encoded", c.GetStats().VectorIndexes[0].Quantization);
        var state = c.Engine.StateForTests;
        Assert.Equal(0, state.TrainingsForTests);
        Assert.Equal(trainedMax, state.Codes(0)!.Codec.Max);
        Assert.Equal((ulong)150, c.Search(vectors[150], new SearchOptions { TopK = 1 }).Single().Id.AsNumber);
    }
    [Theory]
    [InlineData(QuantizationKind.Sq8, 20, 32_768 * 20)]
    [InlineData(QuantizationKind.Binary, 16, 65_536 * 16)]
    public void Loaded_codes_read_back_exactly_and_take_their_rows_bytes_with_no_chunk_slack(QuantizationKind kind, int codeBytes, int wholeChunkBytes)
    {
        // Codes of 16 dimensions: SQ8 16 bytes + its norm, binary one 64-bit word + scale and squared distance. The codec's
        // tables are 5 floats per dimension (min, max, mean, step, inverse step): 320 bytes.
        const long Tables = 5 * Dimension * sizeof(float);
        float[][] vectors = Uniform(1500, seed: 8, 0f, 1f);
        byte[][] written;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(kind));
            c.UpsertMany(vectors.Take(QuantizationOptions.MinTrainingVectors).Select((v, i) => new Record(i, v))); // trains
            c.UpsertMany(vectors.Skip(QuantizationOptions.MinTrainingVectors).Select((v, i) => new Record(QuantizationOptions.MinTrainingVectors + i, v)));
            // Rows written after the training grew its exactly sized chunk into a whole one (32,768 SQ8 or 65,536 binary rows).
            Assert.Equal(wholeChunkBytes + Tables, c.GetStats().Memory!.Codes);
            c.Compact();
            CodeStore.View view = c.Engine.StateForTests.Codes(0)!.Store.GetView();
            written = [.. Enumerable.Range(0, 1500).Select(row => view.Get(row).ToArray())];
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.StartsWith($"{kind}: trained (loaded), 1500 rows encoded", c.GetStats().VectorIndexes[0].Quantization);
            Assert.Equal((1500L * codeBytes) + Tables, c.GetStats().Memory!.Codes);
            CodeStore.View view = c.Engine.StateForTests.Codes(0)!.Store.GetView();
            for (int row = 0; row < 1500; row++)
            {
                Assert.Equal(written[row], view.Get(row).ToArray());
            }

            // The first row past the load widens the short chunk to a whole one, keeping the loaded rows.
            c.Upsert(new Record(1500, vectors[0]));
            Assert.Equal(wholeChunkBytes + Tables, c.GetStats().Memory!.Codes);
            view = c.Engine.StateForTests.Codes(0)!.Store.GetView();
            for (int row = 0; row < 1500; row++)
            {
                Assert.Equal(written[row], view.Get(row).ToArray());
            }
            Assert.Equal(written[0], view.Get(1500).ToArray()); // the same vector, the same code
        }
    }

    [Fact]
    public void A_compaction_encodes_the_renumbered_rows_into_exactly_sized_chunks()
    {
        float[][] vectors = Uniform(1200, seed: 9, 0f, 1f);
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", Schema(QuantizationKind.Sq8));
        c.UpsertMany(vectors.Select((v, i) => new Record(i, v)));
        c.DeleteMany(Enumerable.Range(0, 100).Select(i => (RecordId)i));
        c.Compact();
        Assert.StartsWith("Sq8: trained (carried), 1100 rows encoded", c.GetStats().VectorIndexes[0].Quantization);
        Assert.Equal((1100L * 20) + (5 * Dimension * sizeof(float)), c.GetStats().Memory!.Codes);
    }
}
