using System.Diagnostics;
using System.Text.Json.Nodes;

namespace VectLite.Bench;

/// <summary>One sample along a run: what the database looked like after <see cref="Operations"/> writes.</summary>
internal sealed record AutoCheckpointSample(long Operations, double WriteSeconds, long LogBytes, long DiskBytes, double DeadShare, long Checkpoints, double ReopenMilliseconds);

/// <summary>One run of a workload: its samples, its write throughput, and the close and reopen at the end.</summary>
internal sealed record AutoCheckpointRun(bool AutoOn, IReadOnlyList<AutoCheckpointSample> Samples, double RecordsPerSecond, double CloseMilliseconds, double ReopenAfterCloseMilliseconds, long Checkpoints, double WritersBlockedMilliseconds);

/// <summary>A write workload that never calls <c>Compact()</c>: set-up, then <see cref="Operations"/> timed writes.</summary>
internal sealed class AutoCheckpointWorkload
{
    private readonly Action<Collection> _setUp;
    private readonly Action<Collection, long> _write;

    private AutoCheckpointWorkload(string name, string description, long operations, int recordsPerCall, int dimension, Action<Collection> setUp, Action<Collection, long> write)
    {
        Name = name;
        RecordsPerCall = recordsPerCall;
        Description = description;
        Operations = operations;
        Dimension = dimension;
        _setUp = setUp;
        _write = write;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>Timed write calls.</summary>
    public long Operations { get; }

    public int Dimension { get; }

    /// <summary>Records written per call (throughput is reported in records/s).</summary>
    public int RecordsPerCall { get; }

    /// <summary><paramref name="count"/> new records of random <paramref name="dimension"/>-d vectors, <paramref name="batch"/> per UpsertMany.</summary>
    public static AutoCheckpointWorkload Upserts(int count, int dimension, int batch)
    {
        long calls = (count + batch - 1) / batch;
        return new AutoCheckpointWorkload("upserts", $"{count:N0} new records of {dimension}-d cosine vectors, UpsertMany x {batch}", calls, batch, dimension, _ => { },
            (collection, call) =>
            {
                var random = new Random((int)call);
                long first = call * batch;
                var records = new List<Record>(batch);
                for (long id = first; id < Math.Min(first + batch, count); id++)
                {
                    records.Add(new Record((ulong)id, RandomVector(random, dimension), new JsonObject { ["i"] = id }));
                }
                collection.UpsertMany(records);
            });
    }

    /// <summary><paramref name="updates"/> single-record payload updates spread at random over <paramref name="records"/> records.</summary>
    public static AutoCheckpointWorkload PayloadUpdates(int updates, int records, int dimension) =>
        new("payload updates", $"{updates:N0} single-record UpdatePayload calls over {records:N0} records of {dimension}-d vectors", updates, 1, dimension,
            collection =>
            {
                var random = new Random(1);
                for (int start = 0; start < records; start += 1_000)
                {
                    collection.UpsertMany(Enumerable.Range(start, Math.Min(1_000, records - start))
                        .Select(i => new Record((ulong)i, RandomVector(random, dimension), new JsonObject { ["v"] = 0 })));
                }
            },
            (collection, call) =>
            {
                ulong id = (ulong)(((call * 2654435761L) & long.MaxValue) % records);
                collection.UpdatePayload(id, new JsonObject { ["v"] = call });
            });

    /// <summary>Runs the workload once in a new database, sampling <paramref name="samples"/> times.</summary>
    public AutoCheckpointRun Run(bool autoOn, int samples)
    {
        using TempDirectory directory = TempDirectory.Create("autockpt");
        var options = new DatabaseOptions
        {
            SyncMode = SyncMode.OnFlush,
            AutoCheckpoint = autoOn ? AutoCheckpointOptions.Default : AutoCheckpointOptions.Disabled,
        };
        var points = new List<AutoCheckpointSample>();
        var writing = new Stopwatch();
        long checkpoints;
        double blocked;
        var close = Stopwatch.StartNew();
        using (Database db = Database.Open(directory.Path, options))
        {
            Collection collection = db.CreateCollection("bench", CollectionSchema.SingleVector(Dimension, Metric.Cosine));
            _setUp(collection);
            db.Flush();
            long next = 1;
            for (long call = 0; call < Operations; call++)
            {
                writing.Start();
                _write(collection, call);
                writing.Stop();
                if (call + 1 >= next * Operations / samples)
                {
                    next++;
                    points.Add(Sample(directory.Path, collection, call + 1, writing.Elapsed.TotalSeconds));
                }
            }
            CollectionStats stats = collection.GetStats();
            checkpoints = stats.CheckpointsWritten;
            blocked = stats.LastCheckpoint?.WritersBlocked.TotalMilliseconds ?? 0;
            close.Restart();
        }
        double closeMs = close.Elapsed.TotalMilliseconds;
        var reopen = Stopwatch.StartNew();
        using (Database db = Database.Open(directory.Path, new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled }))
        {
            _ = db.GetCollection("bench").Count();
        }
        return new AutoCheckpointRun(autoOn, points, Operations * (double)RecordsPerCall / writing.Elapsed.TotalSeconds, closeMs, reopen.Elapsed.TotalMilliseconds, checkpoints, blocked);
    }

    /// <summary>Counters now, and how long a read-only open (checkpoint load plus log replay: a reopen) takes.</summary>
    /// <remarks>
    /// The open runs in a child process (<see cref="TimeOpen"/>): in this process a second open of the path shares the
    /// writer's open database (as two SQLite connections share a file) and would load nothing. The child times only its
    /// open, not its start; its code paths run cold (JIT), as they do in a restarted application.
    /// </remarks>
    private static AutoCheckpointSample Sample(string path, Collection collection, long operations, double writeSeconds)
    {
        CollectionStats stats = collection.GetStats();
        string output = ProcessRunner.Run(Environment.ProcessPath!, [.. ProcessRunner.SelfArguments(), "auto-checkpoint", "--time-open", path]);
        double reopenMs = double.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        return new AutoCheckpointSample(operations, writeSeconds, stats.WalBytes, stats.BytesOnDisk,
            stats.StoredRows == 0 ? 0 : (double)stats.DeletedRows / stats.StoredRows, stats.CheckpointsWritten, reopenMs);
    }

    /// <summary>
    /// The child side of <see cref="Sample"/>: opens <paramref name="path"/> read-only beside the running writer, reads the
    /// collection's count, and returns the milliseconds that took.
    /// </summary>
    public static double TimeOpen(string path)
    {
        var reopen = Stopwatch.StartNew();
        using (Database reader = Database.Open(path, new DatabaseOptions { ReadOnly = true }))
        {
            _ = reader.GetCollection("bench").Count();
        }
        return reopen.Elapsed.TotalMilliseconds;
    }

    private static float[] RandomVector(Random random, int dimension)
    {
        var v = new float[dimension];
        for (int i = 0; i < dimension; i++)
        {
            v[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return v;
    }
}
