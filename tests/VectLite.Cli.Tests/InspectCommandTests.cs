namespace VectLite.Cli.Tests;

/// <summary><c>vectlite inspect</c> on a real database: what it shows, and that it changes nothing.</summary>
public sealed class InspectCommandTests : IDisposable
{
    private readonly SampleDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Inspect_shows_the_schema_counts_indexes_checkpoint_and_log_and_changes_nothing()
    {
        SortedDictionary<string, string> before = _db.Fingerprint();

        CliResult run = CliProcess.Run("inspect", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("", run.Stderr);
        string[] lines = run.StdoutLines;
        Assert.Equal($"Database {_db.Path}", lines[0]);
        Assert.Equal("Collection docs", lines[1]);
        Assert.Contains("  schema           default: 8-d L2", lines);
        Assert.Contains("  hnsw             M 16, ef_construction 200; runtime: ef_search auto, index from 128 vectors, parallel insert from 1,000 records on all cores, rebuild at 30% dead", lines);
        Assert.Contains("  records          319", lines);
        Assert.Contains("  namespaces       (default): 319", lines);
        Assert.Contains("  payload indexes  category (Keyword)", lines);
        Assert.Contains("  stored rows      320 (1 deleted or replaced, reclaimed by compact)", lines);
        Assert.Contains("  checkpoint       generation 1", lines);
        Assert.Contains("  torn tail        none", lines);
        Assert.Contains(lines, l => l.StartsWith("  log              ", StringComparison.Ordinal) && l.EndsWith(", 3 batches since the checkpoint", StringComparison.Ordinal));
        Assert.Equal(before, _db.Fingerprint());
    }

    [Fact]
    public void Inspect_reports_a_torn_tail_it_would_drop()
    {
        long length = new FileInfo(_db.WalPath).Length;
        using (var wal = new FileStream(_db.WalPath, FileMode.Open, FileAccess.Write))
        {
            wal.SetLength(length - 3);
        }

        CliResult run = CliProcess.Run("inspect", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("  torn tail        ", StringComparison.Ordinal) && l.Contains("bytes (frame cut short", StringComparison.Ordinal));
        Assert.Contains("  records          320", run.StdoutLines); // the torn last batch, the delete of record 0, is dropped
    }

    [Fact]
    public void Inspect_shows_runtime_settings_changed_by_UpdateOptions()
    {
        using (Database db = Database.Open(_db.Path))
        {
            Collection docs = db.GetCollection("docs");
            docs.UpdateOptions(docs.Schema.Hnsw with { EfSearch = 64, MinIndexedVectors = int.MaxValue, ParallelInsertThreshold = 500, MaxInsertThreads = 2, TombstoneRebuildPercent = 45 });
        }

        CliResult run = CliProcess.Run("inspect", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("  hnsw             M 16, ef_construction 200; runtime: ef_search 64, index never, parallel insert from 500 records on 2 threads, rebuild at 45% dead", run.StdoutLines);
    }

    [Fact]
    public void Inspect_shows_the_value_graphs_a_checkpoint_saved()
    {
        using (Database db = Database.Open(_db.Path))
        {
            // Four labels of 2,100 rows (above the 2,048 a value needs): a search keeping one label (25%) asks for the
            // label's value graphs; the builder makes them and the checkpoint saves them.
            Collection tags = db.CreateCollection("tags", CollectionSchema.SingleVector(8, Metric.L2));
            tags.CreatePayloadIndex("label", PayloadIndexKind.Keyword);
            var random = new Random(3);
            tags.UpsertMany([.. Enumerable.Range(0, 8_400).Select(i => new Record((ulong)i,
                Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble()).ToArray(), new System.Text.Json.Nodes.JsonObject { ["label"] = "l" + (i % 4) }))]);
            tags.Search(new float[8], new SearchOptions { TopK = 5, Filter = Filter.Eq("label", "l1") });
            tags.WaitForIndexing();
            tags.Compact();
        }

        CliResult run = CliProcess.Run("inspect", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("  value graphs     default/label: 4 values, 8,400 nodes (0 dead), ", StringComparison.Ordinal)
            && l.EndsWith(", loaded", StringComparison.Ordinal));
    }
}
