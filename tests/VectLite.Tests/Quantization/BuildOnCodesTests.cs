using VectLite.Indexing;
using VectLite.Tests.Engine;
using VectLite.Tests.Indexing;

namespace VectLite.Tests.Quantization;

/// <summary>
/// <see cref="HnswOptions.BuildOnCodes"/>: a quantized vector's graph is linked on its decoded codes (counted by
/// <see cref="HnswGraph.DecodedInsertsForTests"/>), searches keep their recall, and the setting is stored and changeable.
/// </summary>
[Collection(DecodedInsertCounter.Name)]
public sealed class BuildOnCodesTests : IDisposable
{
    private const int Dimension = 32;
    private readonly TempDatabase _temp = new();
    private readonly float[][] _vectors;
    private readonly float[][] _queries;

    public BuildOnCodesTests()
    {
        var random = new Random(23);
        float[][] centres = [.. Enumerable.Range(0, 20).Select(_ => QuantizedSearchTests.Gaussian(random, Dimension, 0, 3))];
        _vectors = [.. Enumerable.Range(0, 2500).Select(i => QuantizedSearchTests.Gaussian(random, Dimension, 0, 1).Zip(centres[i % 20], (a, b) => a + b).ToArray())];
        _queries = [.. Enumerable.Range(0, 40).Select(i => QuantizedSearchTests.Gaussian(random, Dimension, 0, 1).Zip(centres[i % 20], (a, b) => a + b).ToArray())];
    }

    public void Dispose() => _temp.Dispose();

    private static long DecodedInserts => Interlocked.Read(ref HnswGraph.DecodedInsertsForTests);

    private Collection Create(Database db, QuantizationKind kind, bool onCodes) =>
        db.CreateCollection("docs", new CollectionSchema()
            .AddVector("v", Dimension, Metric.L2, new QuantizationOptions { Kind = kind }, VectorStorage.Disk)
            .WithHnsw(new HnswOptions { MaxInsertThreads = 2, ParallelInsertThreshold = 100, BuildOnCodes = onCodes }));

    private double Recall(Collection c)
    {
        int hits = 0;
        foreach (float[] q in _queries)
        {
            HashSet<ulong> expected = [.. _vectors.Select((v, i) => (Distance: v.Zip(q, (a, b) => (double)(a - b) * (a - b)).Sum(), Id: (ulong)i))
                .OrderBy(x => x.Distance).Take(10).Select(x => x.Id)];
            hits += c.Search(q, new SearchOptions { TopK = 10, Ef = 64 }).Count(h => expected.Contains(h.Id.AsNumber));
        }
        return hits / (double)(_queries.Length * 10);
    }

    [Theory]
    [InlineData(QuantizationKind.Sq8)]
    [InlineData(QuantizationKind.Pq)]
    [InlineData(QuantizationKind.Float16)]
    public void Every_insert_after_training_links_on_the_codes_and_recall_holds(QuantizationKind kind)
    {
        using Database db = _temp.Open();
        Collection c = Create(db, kind, onCodes: true);
        long before = DecodedInserts;
        // 1,200 rows: the codec trains (1,000 rows needed) before the graph is built, so every insert but the first
        // node's links on codes; then 1,300 more, inserted into the existing graph.
        c.UpsertMany(_vectors.Take(1200).Select((v, i) => new Record(i, v)));
        Assert.Equal(1199, DecodedInserts - before);
        c.UpsertMany(_vectors.Skip(1200).Select((v, i) => new Record(1200 + i, v)));
        Assert.Equal(2499, DecodedInserts - before);

        double recall = Recall(c);
        Assert.True(recall >= 0.95, $"{kind}: recall@10 {recall:F3} on a graph linked on its codes");
    }

    [Fact]
    public void Without_the_setting_or_before_the_codes_exist_inserts_link_on_float32()
    {
        using Database db = _temp.Open();
        Collection off = Create(db, QuantizationKind.Sq8, onCodes: false);
        long before = DecodedInserts;
        off.UpsertMany(_vectors.Take(1200).Select((v, i) => new Record(i, v)));
        Assert.Equal(0, DecodedInserts - before);

        Collection early = db.CreateCollection("early", new CollectionSchema()
            .AddVector("v", Dimension, Metric.L2, new QuantizationOptions { Kind = QuantizationKind.Sq8 }, VectorStorage.Disk)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1, BuildOnCodes = true }));
        early.UpsertMany(_vectors.Take(500).Select((v, i) => new Record(i, v))); // below 1,000 rows: no codec trained yet
        Assert.Equal(0, DecodedInserts - before);
        early.UpsertMany(_vectors.Skip(500).Take(600).Select((v, i) => new Record(500 + i, v))); // trains, then links these on codes
        Assert.Equal(600, DecodedInserts - before);

        // Binary and RaBitQ codes are too coarse to link on: their graphs stay on float32.
        foreach (QuantizationKind kind in new[] { QuantizationKind.Binary, QuantizationKind.RaBitQ })
        {
            Collection coarse = db.CreateCollection($"coarse-{kind}", new CollectionSchema()
                .AddVector("v", Dimension, Metric.L2, new QuantizationOptions { Kind = kind }, VectorStorage.Disk)
                .WithHnsw(new HnswOptions { BuildOnCodes = true }));
            coarse.UpsertMany(_vectors.Take(1200).Select((v, i) => new Record(i, v)));
            Assert.Equal(600, DecodedInserts - before);
        }
    }

    [Fact]
    public void The_setting_is_stored_and_changed_by_UpdateOptions()
    {
        using (Database db = _temp.Open())
        {
            Create(db, QuantizationKind.Sq8, onCodes: true);
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.True(c.Schema.Hnsw.BuildOnCodes);
            c.UpdateOptions(c.Schema.Hnsw with { BuildOnCodes = false });
            long before = DecodedInserts;
            c.UpsertMany(_vectors.Take(1200).Select((v, i) => new Record(i, v)));
            Assert.Equal(0, DecodedInserts - before);
        }

        using (Database db = _temp.Open())
        {
            Assert.False(db.GetCollection("docs").Schema.Hnsw.BuildOnCodes);
        }
    }
}
