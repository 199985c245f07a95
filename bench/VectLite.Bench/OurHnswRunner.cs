using System.Diagnostics;

namespace VectLite.Bench;

/// <summary>
/// VectLite's side of the HNSW benchmark, through the public API only: timed ingests without and with the index, the
/// single-threaded ef sweep, a checkpoint, and a timed reopen. Every database lives in its own temporary folder,
/// deleted at the end.
/// </summary>
internal static class OurHnswRunner
{
    private const string CollectionName = "base";

    /// <summary>Every database is opened like this: one flush at the end makes the ingest durable.</summary>
    private static readonly DatabaseOptions DatabaseOptions = new() { SyncMode = SyncMode.OnFlush };

    /// <summary>Runs every step for one build-thread count and returns the measurements.</summary>
    /// <exception cref="InvalidOperationException">The index was not built by the ingest, or not for every vector.</exception>
    public static OurHnswRun Run(HnswVariantData data, HnswSettings settings, int threads)
    {
        string tag = $"hnsw {data.Variant.Name} VectLite ({threads} build thread{(threads == 1 ? "" : "s")})";
        List<Record> records = Records(data.Base);

        TimeSpan plain;
        using (TempDirectory plainFolder = TempDirectory.Create("hnsw-plain"))
        using (Database database = Database.Open(plainFolder.Path, DatabaseOptions))
        {
            Collection collection = database.CreateCollection(CollectionName, Schema(data, HnswOptions.Disabled));
            plain = TimeIngest(database, collection, records);
        }
        Console.Error.WriteLine($"{tag}: ingest without index {Format.Seconds(plain)}");

        var index = new HnswOptions
        {
            M = settings.M,
            EfConstruction = settings.EfConstruction,
            MaxInsertThreads = threads,
            ParallelInsertThreshold = HnswSettings.ParallelInsertThreshold,
        };
        using TempDirectory folder = TempDirectory.Create("hnsw");
        TimeSpan indexed, checkpoint;
        VectorIndexStats built;
        var points = new List<HnswSearchPoint>(settings.Efs.Count);
        using (Database database = Database.Open(folder.Path, DatabaseOptions))
        {
            Collection collection = database.CreateCollection(CollectionName, Schema(data, index));
            indexed = TimeIngest(database, collection, records);
            built = collection.GetStats().VectorIndexes[0];
            if (!built.Indexed || built.Nodes != data.Base.Count || built.Origin != "built")
            {
                throw new InvalidOperationException($"After ingesting {data.Base.Count} vectors the index is {built}; expected a graph built with every vector.");
            }
            Console.Error.WriteLine($"{tag}: ingest with index {Format.Seconds(indexed)} (graph build {Format.Seconds(indexed - plain)}), graph {Format.Bytes(built.MemoryBytes)}");
            records.Clear();

            // The ingest wrote a log of the whole base set, so an automatic checkpoint is now writing it out in the
            // background; let it finish, or the first ef's queries share the cores and the memory bandwidth with it.
            TimeSpan settled = CheckpointWait.Settle(collection);
            Console.Error.WriteLine($"{tag}: waited {Format.Seconds(settled)} for the automatic checkpoint the ingest started");
            Collect();

            foreach (int ef in settings.Efs)
            {
                HnswSearchPoint point = Sweep(collection, data, ef, settings.SpanSearch);
                points.Add(point);
                Console.Error.WriteLine($"{tag}: ef {ef}: recall {Format.Recall(point.Recall)}, {Format.Number(point.QueriesPerSecond)} q/s, " +
                    $"p50 {Format.Number(point.P50Milliseconds, 3)} ms, p99 {Format.Number(point.P99Milliseconds, 3)} ms");
            }

            var watch = Stopwatch.StartNew();
            collection.Compact();
            checkpoint = watch.Elapsed;
        }
        Collect();

        (TimeSpan reopen, VectorIndexStats reopened) = TimeReopen(folder.Path, data, settings.Efs[0]);
        Console.Error.WriteLine($"{tag}: checkpoint {Format.Seconds(checkpoint)}, reopen {Format.Milliseconds(reopen)} (graph {reopened.Origin})");
        return new OurHnswRun(threads, plain, indexed, points, checkpoint, reopen, built, reopened);
    }

    /// <summary>One record per base vector, id = row number (as the ground truth counts); the vectors are not copied.</summary>
    private static List<Record> Records(TexmexFile<float> vectors)
    {
        var records = new List<Record>(vectors.Count);
        for (int i = 0; i < vectors.Count; i++)
        {
            records.Add(new Record((ulong)i, vectors.Row(i)));
        }
        return records;
    }

    private static CollectionSchema Schema(HnswVariantData data, HnswOptions options) =>
        CollectionSchema.SingleVector(data.Base.Dimension, data.Variant.Metric).WithHnsw(options);

    /// <summary>Times one <c>UpsertMany</c> of every record plus <see cref="Database.Flush"/>.</summary>
    private static TimeSpan TimeIngest(Database database, Collection collection, List<Record> records)
    {
        Collect();
        var watch = Stopwatch.StartNew();
        collection.UpsertMany(records);
        database.Flush();
        return watch.Elapsed;
    }

    /// <summary>
    /// Runs every query once at <paramref name="ef"/> on this thread, after untimed ones (at least
    /// <see cref="HnswSettings.WarmupQueries"/>, for at least <see cref="HnswSettings.WarmupTime"/>), timing each; recall is
    /// scored after the timing.
    /// </summary>
    private static HnswSearchPoint Sweep(Collection collection, HnswVariantData data, int ef, bool span)
    {
        var options = new SearchOptions { TopK = HnswSettings.K, Ef = ef, IncludePayload = false };
        int count = data.Queries.Count;
        var buffer = new ScoredId[HnswSettings.K];
        long warmupStart = Stopwatch.GetTimestamp();
        for (int q = 0; q < HnswSettings.WarmupQueries || Stopwatch.GetElapsedTime(warmupStart) < HnswSettings.WarmupTime; q++)
        {
            if (span)
            {
                collection.Search(data.Queries.Row(q % count).Span, buffer, options);
            }
            else
            {
                collection.Search(data.Queries.Row(q % count).Span, options);
            }
        }

        // The span overload's hits are copied out after each call (outside its latency; ten structs, nanoseconds against
        // the search), as the list overload's lists are kept: recall is scored from them after the timing in both cases.
        var answers = new IReadOnlyList<SearchHit>[span ? 0 : count];
        var ids = new ScoredId[span ? count * HnswSettings.K : 0];
        var found = new int[count];
        var latencies = new long[count];
        long start = Stopwatch.GetTimestamp();
        for (int q = 0; q < count; q++)
        {
            ReadOnlySpan<float> query = data.Queries.Row(q).Span;
            long before = Stopwatch.GetTimestamp();
            if (span)
            {
                found[q] = collection.Search(query, buffer, options);
                latencies[q] = Stopwatch.GetTimestamp() - before;
                buffer.AsSpan(0, found[q]).CopyTo(ids.AsSpan(q * HnswSettings.K));
            }
            else
            {
                answers[q] = collection.Search(query, options);
                latencies[q] = Stopwatch.GetTimestamp() - before;
            }
        }
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;

        double recall = span ? Recall(ids, found, data.Truth) : Recall(answers, data.Truth);
        Array.Sort(latencies);
        return new HnswSearchPoint(ef, count, recall, count / seconds,
            Milliseconds(latencies[count / 2]), Milliseconds(latencies[(int)(count * 0.99)]));
    }

    private static double Recall(ScoredId[] ids, int[] found, TexmexFile<int> truth)
    {
        long hits = 0;
        for (int q = 0; q < found.Length; q++)
        {
            ReadOnlySpan<int> expected = truth.Row(q).Span[..HnswSettings.K];
            foreach (ScoredId hit in ids.AsSpan(q * HnswSettings.K, found[q]))
            {
                if (expected.Contains((int)hit.Id.AsNumber))
                {
                    hits++;
                }
            }
        }
        return (double)hits / ((long)found.Length * HnswSettings.K);
    }

    /// <summary>Times Database.Open + GetCollection + the first search on the checkpointed database.</summary>
    private static (TimeSpan Elapsed, VectorIndexStats Index) TimeReopen(string path, HnswVariantData data, int ef)
    {
        var options = new SearchOptions { TopK = HnswSettings.K, Ef = ef, IncludePayload = false };
        var watch = Stopwatch.StartNew();
        using Database database = Database.Open(path, DatabaseOptions);
        Collection collection = database.GetCollection(CollectionName);
        collection.Search(data.Queries.Row(0).Span, options);
        TimeSpan elapsed = watch.Elapsed;
        return (elapsed, collection.GetStats().VectorIndexes[0]);
    }

    private static double Recall(IReadOnlyList<SearchHit>[] answers, TexmexFile<int> truth)
    {
        long found = 0;
        for (int q = 0; q < answers.Length; q++)
        {
            found += TrueHits.Count(answers[q], truth.Row(q).Span[..HnswSettings.K]);
        }
        return (double)found / ((long)answers.Length * HnswSettings.K);
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>A full blocking collection, so one phase's garbage is not collected inside the next one's timing.</summary>
    private static void Collect() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
