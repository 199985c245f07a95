using System.Diagnostics;

namespace VectLite.Bench;

/// <summary>
/// VectLite's side of the exact-scan benchmark: a collection holding the base vectors (L2), the queries and the
/// ground truth, in a temporary database deleted on dispose.
/// </summary>
internal sealed class ExactScanTarget : IDisposable
{
    /// <summary>Records per <c>UpsertMany</c> call while loading the base vectors.</summary>
    public const int IngestBatchSize = 5_000;

    /// <summary>Neighbours per query (recall@10).</summary>
    public const int K = 10;

    /// <summary>The brief's search, with <c>Exact</c> so it stays a scan once the collection has an HNSW index.</summary>
    private static readonly SearchOptions Options = new() { TopK = K, IncludePayload = false, Exact = true };

    /// <summary>No HNSW graph: this benchmark is about the scan, and building a graph would only slow the load.</summary>
    private static readonly HnswOptions NoIndex = new() { MinIndexedVectors = int.MaxValue };

    private readonly TempDirectory _folder;
    private readonly Database _database;
    private readonly Collection _collection;
    private readonly TexmexFile<float> _queries;
    private readonly TexmexFile<int> _truth;

    private ExactScanTarget(TempDirectory folder, Database database, Collection collection, TexmexFile<float> queries, TexmexFile<int> truth, ExactIngestSummary ingest)
    {
        _folder = folder;
        _database = database;
        _collection = collection;
        _queries = queries;
        _truth = truth;
        Ingest = ingest;
    }

    /// <summary>How loading the base vectors went.</summary>
    public ExactIngestSummary Ingest { get; }

    /// <summary>Queries available (rows of query.fvecs that have a ground-truth row).</summary>
    public int QueryCount => Math.Min(_queries.Count, _truth.Count);

    /// <summary>
    /// Reads base.fvecs, query.fvecs and gt.ivecs from <paramref name="dataDirectory"/> and loads the base vectors
    /// (ids = row numbers, as gt.ivecs counts them) into a fresh database under OnFlush, flushed at the end.
    /// </summary>
    /// <exception cref="InvalidDataException">The files disagree in dimension, or the ground truth has fewer than <see cref="K"/> per query.</exception>
    public static ExactScanTarget Create(string dataDirectory)
    {
        TexmexFile<float> queries = TexmexFile<float>.Read(Path.Combine(dataDirectory, "query.fvecs"));
        TexmexFile<int> truth = TexmexFile<int>.Read(Path.Combine(dataDirectory, "gt.ivecs"));
        if (truth.Dimension < K)
        {
            throw new InvalidDataException($"gt.ivecs holds {truth.Dimension} neighbours per query; recall@{K} needs {K}.");
        }

        TempDirectory folder = TempDirectory.Create("exact");
        Database? database = null;
        try
        {
            database = Database.Open(folder.Path, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
            (Collection collection, ExactIngestSummary ingest) = Load(database, Path.Combine(dataDirectory, "base.fvecs"), queries.Dimension);

            // The harness's copy of base.fvecs is garbage now: give it back to see what VectLite alone holds.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            ingest = ingest with { SteadyWorkingSetBytes = Process.GetCurrentProcess().WorkingSet64 };
            return new ExactScanTarget(folder, database, collection, queries, truth, ingest);
        }
        catch
        {
            database?.Dispose();
            folder.Dispose();
            throw;
        }
    }

    private static (Collection, ExactIngestSummary) Load(Database database, string basePath, int queryDimension)
    {
        var readWatch = Stopwatch.StartNew();
        TexmexFile<float> vectors = TexmexFile<float>.Read(basePath);
        readWatch.Stop();
        if (vectors.Dimension != queryDimension)
        {
            throw new InvalidDataException($"base.fvecs has dimension {vectors.Dimension}, query.fvecs {queryDimension}.");
        }

        Collection collection = database.CreateCollection("base", CollectionSchema.SingleVector(vectors.Dimension, Metric.L2).WithHnsw(NoIndex));
        var batch = new List<Record>(IngestBatchSize);
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < vectors.Count; i++)
        {
            batch.Add(new Record((ulong)i, vectors.Row(i)));
            if (batch.Count == IngestBatchSize || i == vectors.Count - 1)
            {
                collection.UpsertMany(batch);
                batch.Clear();
            }
        }
        database.Flush();
        watch.Stop();

        long peak = Process.GetCurrentProcess().PeakWorkingSet64;
        long harnessCopy = (long)vectors.Data.Length * sizeof(float);
        return (collection, new ExactIngestSummary(vectors.Count, vectors.Dimension, readWatch.Elapsed, watch.Elapsed, peak, harnessCopy, SteadyWorkingSetBytes: -1));
    }

    /// <summary>
    /// Times the first <paramref name="count"/> queries on this thread, after <paramref name="warmup"/> untimed ones,
    /// and scores the answers against the ground truth (outside the timing).
    /// </summary>
    public OurSearchResult Search(int count, int warmup)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, QueryCount);
        for (int q = 0; q < warmup; q++)
        {
            _collection.Search(_queries.Row(q % QueryCount).Span, Options);
        }

        var answers = new IReadOnlyList<SearchHit>[count];
        var watch = Stopwatch.StartNew();
        for (int q = 0; q < count; q++)
        {
            answers[q] = _collection.Search(_queries.Row(q).Span, Options);
        }
        watch.Stop();
        return new OurSearchResult(count, watch.Elapsed, Recall(answers));
    }

    private double Recall(IReadOnlyList<SearchHit>[] answers)
    {
        long found = 0;
        for (int q = 0; q < answers.Length; q++)
        {
            ReadOnlySpan<int> truth = _truth.Row(q).Span[..K];
            foreach (SearchHit hit in answers[q])
            {
                if (truth.Contains((int)hit.Id.AsNumber))
                {
                    found++;
                }
            }
        }
        return (double)found / ((long)answers.Length * K);
    }

    /// <summary>Closes the database and deletes its folder.</summary>
    public void Dispose()
    {
        _database.Dispose();
        _folder.Dispose();
    }
}
