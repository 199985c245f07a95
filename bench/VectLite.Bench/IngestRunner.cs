using System.Diagnostics;
using System.Text.Json.Nodes;

namespace VectLite.Bench;

/// <summary>
/// Times ingest into a fresh database: sized so each run takes about <see cref="TargetSeconds"/>, repeated, medians kept.
/// </summary>
/// <remarks>
/// How it works:
/// <list type="number">
/// <item>Pilot runs (discarded: they also warm the JIT and the file system) start at <see cref="PilotRecords"/>
/// records and grow eightfold until one lasts <see cref="PilotSeconds"/>; the measured count is scaled from the last
/// pilot to last <see cref="TargetSeconds"/>, so the fsync-bound PerOp runs get fewer records than OnFlush.</item>
/// <item>Each timed run opens a new database in a new temporary folder, creates one cosine collection, and times
/// the write calls (records built inside the loop: a few hundred nanoseconds each, as an application pays) plus a
/// final <see cref="Database.Flush"/>, so every mode ends with all records durable.</item>
/// <item>A run never writes more than <see cref="MaxVectorBytesPerRun"/> of vectors, to bound memory and disk.</item>
/// </list>
/// </remarks>
internal sealed class IngestRunner(double targetSeconds, bool withoutIndex)
{
    /// <summary>Records in the first pilot run.</summary>
    public const int PilotRecords = 500;

    /// <summary>A pilot this long is long enough to extrapolate from.</summary>
    public const double PilotSeconds = 0.25;

    /// <summary>The cap on vector data per run (1 GiB: about 3 s of OnFlush at 768-d on the reference VM).</summary>
    public const long MaxVectorBytesPerRun = 1L << 30;

    /// <summary>The cap on records per run.</summary>
    public const int MaxRecordsPerRun = 2_000_000;

    /// <summary>Distinct random vectors per dimension, reused cyclically (ids stay unique).</summary>
    private const int PoolSize = 1024;

    private const string CollectionName = "bench";

    /// <summary>The intended length of one timed run, in seconds.</summary>
    public double TargetSeconds { get; } = targetSeconds;

    /// <summary>
    /// True to create collections that never build an HNSW graph (<see cref="HnswOptions.MinIndexedVectors"/> =
    /// <see cref="int.MaxValue"/>), timing the log and storage path alone; false for the default schema, whose graph
    /// is kept current on every write.
    /// </summary>
    public bool WithoutIndex { get; } = withoutIndex;

    /// <summary>Calibrates the record count, then runs the configuration <paramref name="repeats"/> times.</summary>
    public IngestResult Measure(IngestConfiguration configuration, int repeats)
    {
        float[] pool = RandomVectors(configuration.Dimension);
        int count = Calibrate(configuration, pool);
        var samples = new List<IngestSample>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            IngestSample sample = RunOnce(configuration, pool, count);
            Console.Error.WriteLine($"ingest {configuration.Dimension}-d {configuration.Label}: run {r + 1}/{repeats}: " +
                $"{Format.Count(sample.Records)} records in {Format.Seconds(sample.Elapsed)} = {Format.Count(sample.RecordsPerSecond)} records/s");
            samples.Add(sample);
        }
        return new IngestResult(configuration, samples);
    }

    private int Calibrate(IngestConfiguration configuration, float[] pool)
    {
        int cap = RoundToBatch((int)Math.Min(MaxRecordsPerRun, MaxVectorBytesPerRun / configuration.VectorBytesPerRecord), configuration.BatchSize);
        int count = Math.Min(cap, RoundToBatch(PilotRecords, configuration.BatchSize));
        while (true)
        {
            IngestSample pilot = RunOnce(configuration, pool, count);
            if (pilot.Elapsed.TotalSeconds >= PilotSeconds || count >= cap)
            {
                int scaled = (int)Math.Min(cap, count * TargetSeconds / pilot.Elapsed.TotalSeconds);
                int chosen = RoundToBatch(scaled, configuration.BatchSize);
                Console.Error.WriteLine($"ingest {configuration.Dimension}-d {configuration.Label}: pilot {Format.Count(count)} records in " +
                    $"{Format.Seconds(pilot.Elapsed)}; timing {Format.Count(chosen)} records per run");
                return chosen;
            }
            count = (int)Math.Min(cap, count * 8L);
        }
    }

    private IngestSample RunOnce(IngestConfiguration configuration, float[] pool, int count)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        using TempDirectory folder = TempDirectory.Create("ingest");
        using Database db = Database.Open(folder.Path, new DatabaseOptions { SyncMode = configuration.SyncMode });
        CollectionSchema schema = CollectionSchema.SingleVector(configuration.Dimension, Metric.Cosine);
        if (WithoutIndex)
        {
            schema = schema.WithHnsw(new HnswOptions { MinIndexedVectors = int.MaxValue });
        }
        Collection collection = db.CreateCollection(CollectionName, schema);

        var watch = Stopwatch.StartNew();
        if (configuration.BatchSize == 1)
        {
            for (int i = 0; i < count; i++)
            {
                collection.Upsert(MakeRecord(i, pool, configuration.Dimension));
            }
        }
        else
        {
            var batch = new List<Record>(configuration.BatchSize);
            for (int i = 0; i < count; i++)
            {
                batch.Add(MakeRecord(i, pool, configuration.Dimension));
                if (batch.Count == configuration.BatchSize)
                {
                    collection.UpsertMany(batch);
                    batch.Clear();
                }
            }
            if (batch.Count > 0)
            {
                collection.UpsertMany(batch);
            }
        }
        db.Flush();
        watch.Stop();
        return new IngestSample(count, watch.Elapsed, configuration.VectorBytesPerRecord);
    }

    /// <summary>A record with a small payload, as an application would write (about 30 bytes of JSON).</summary>
    private static Record MakeRecord(int i, float[] pool, int dimension) =>
        new((ulong)i, pool.AsMemory(i % PoolSize * dimension, dimension), new JsonObject { ["n"] = i, ["source"] = "bench" });

    /// <summary>Uniform components in [-1, 1), seeded by the dimension so every run writes the same data.</summary>
    private static float[] RandomVectors(int dimension)
    {
        var random = new Random(dimension);
        var pool = new float[PoolSize * dimension];
        for (int i = 0; i < pool.Length; i++)
        {
            pool[i] = random.NextSingle() * 2 - 1;
        }
        return pool;
    }

    private static int RoundToBatch(int count, int batchSize) => Math.Max(batchSize, count / batchSize * batchSize);
}
