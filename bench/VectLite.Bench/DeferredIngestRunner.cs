using System.Diagnostics;

namespace VectLite.Bench;

/// <summary>
/// Single-record ingest with <see cref="IndexingMode.Immediate"/> against <see cref="IndexingMode.Deferred"/>: the
/// same synthetic Gaussian vectors written one <c>Upsert</c> at a time into a fresh cosine collection (default HNSW
/// settings), timed to the final flush; then the deferred indexer's catch-up, and recall@10 of both against a brute
/// force computed here.
/// </summary>
/// <remarks>
/// How it works:
/// <list type="number">
/// <item>Vectors and queries are drawn once from a seeded standard normal (Box-Muller), so both modes write the
/// same data; ids are the row numbers.</item>
/// <item>Each mode opens a new database in a new temporary folder with the chosen sync mode, times the
/// <c>Upsert</c> loop plus <see cref="Database.Flush"/> (the writer's view), then times
/// <see cref="Collection.WaitForIndexing"/> (zero for immediate: each write indexed itself).</item>
/// <item>Ground truth: <see cref="GroundTruth.MaxInnerProduct"/> on the normalised vectors (cosine = inner product on
/// unit vectors), computed once. Recall@10 is the share of the true top 10 in the engine's top 10, with the
/// collection's default ef; q/s is those searches on one thread.</item>
/// </list>
/// </remarks>
internal sealed class DeferredIngestRunner(int records, int dimension, int queries, SyncMode syncMode, int ef)
{
    /// <summary>The ef of the recall searches; 0: the collection's automatic choice.</summary>
    public int Ef { get; } = ef;

    private const string CollectionName = "bench";

    /// <summary>Single-record upserts per run.</summary>
    public int Records { get; } = records;

    /// <summary>The vectors' dimension.</summary>
    public int Dimension { get; } = dimension;

    /// <summary>Queries for recall and q/s.</summary>
    public int Queries { get; } = queries;

    /// <summary>The database's sync mode during the writes.</summary>
    public SyncMode SyncMode { get; } = syncMode;

    /// <summary>Runs both modes <paramref name="rounds"/> times each, alternating, and returns every run.</summary>
    public List<DeferredIngestResult> Measure(int rounds)
    {
        float[] vectors = Gaussian(Records, Dimension, seed: 1);
        float[] queryVectors = Gaussian(Queries, Dimension, seed: 2);
        Console.Error.WriteLine($"ingest --deferred: brute force for {Queries} queries over {Format.Count(Records)} x {Dimension} ...");
        TexmexFile<int> truth = GroundTruth.MaxInnerProduct(TexmexFile<float>.FromRows(Normalized(vectors), Dimension), TexmexFile<float>.FromRows(Normalized(queryVectors), Dimension));
        var results = new List<DeferredIngestResult>();
        for (int round = 0; round < rounds; round++)
        {
            foreach (IndexingMode mode in (IndexingMode[])[IndexingMode.Immediate, IndexingMode.Deferred])
            {
                DeferredIngestResult result = RunOnce(mode, vectors, queryVectors, truth);
                Console.Error.WriteLine($"ingest --deferred {mode} round {round + 1}/{rounds}: {Format.Count(result.WritesPerSecond)} writes/s, " +
                    $"catch-up {Format.Seconds(result.CatchUp)} (lag {Format.Count(result.LagAtFlush)} at the flush), recall@10 {Format.Recall(result.RecallAt10)}");
                results.Add(result);
            }
        }
        return results;
    }

    private DeferredIngestResult RunOnce(IndexingMode mode, float[] vectors, float[] queryVectors, TexmexFile<int> truth)
    {
        using TempDirectory folder = TempDirectory.Create("ingest-deferred");
        using Database db = Database.Open(folder.Path, new DatabaseOptions { SyncMode = SyncMode });
        Collection collection = db.CreateCollection(CollectionName,
            CollectionSchema.SingleVector(Dimension, Metric.Cosine).WithHnsw(HnswOptions.Default with { Indexing = mode }));

        var writes = Stopwatch.StartNew();
        for (int i = 0; i < Records; i++)
        {
            collection.Upsert(new Record((ulong)i, vectors.AsMemory(i * Dimension, Dimension)));
        }
        db.Flush();
        writes.Stop();
        long lag = collection.GetStats().IndexingLag;

        var catchUp = Stopwatch.StartNew();
        collection.WaitForIndexing();
        catchUp.Stop();
        if (mode == IndexingMode.Immediate)
        {
            catchUp.Reset(); // nothing waited: each write indexed itself
        }

        var options = new SearchOptions { TopK = 10, Ef = Ef > 0 ? Ef : null };
        var lists = new ulong[Queries][];
        double recall = 0;
        var searching = Stopwatch.StartNew();
        for (int q = 0; q < Queries; q++)
        {
            IReadOnlyList<SearchHit> hits = collection.Search(queryVectors.AsSpan(q * Dimension, Dimension), options);
            lists[q] = [.. hits.Select(h => h.Id.AsNumber)];
        }
        searching.Stop();
        for (int q = 0; q < Queries; q++)
        {
            var expected = new HashSet<ulong>(truth.Row(q).Span[..10].ToArray().Select(r => (ulong)r));
            recall += lists[q].Count(expected.Contains) / 10.0;
        }
        return new DeferredIngestResult(mode, Records, writes.Elapsed, catchUp.Elapsed, lag, recall / Queries, lists, Queries / searching.Elapsed.TotalSeconds);
    }

    /// <summary><paramref name="count"/> vectors of standard normal components (Box-Muller), seeded.</summary>
    private static float[] Gaussian(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var data = new float[(long)count * dimension];
        for (long i = 0; i < data.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            data[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < data.Length)
            {
                data[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }
        return data;
    }

    private float[] Normalized(float[] data)
    {
        var copy = (float[])data.Clone();
        for (int row = 0; row < copy.Length / Dimension; row++)
        {
            Span<float> v = copy.AsSpan(row * Dimension, Dimension);
            double norm = 0;
            foreach (float x in v)
            {
                norm += (double)x * x;
            }
            float scale = (float)(1.0 / Math.Sqrt(norm));
            for (int d = 0; d < v.Length; d++)
            {
                v[d] *= scale;
            }
        }
        return copy;
    }
}
