using VectLite.Storage;
using VectLite.Tests.Support;

namespace VectLite.Tests.Engine;

/// <summary>
/// <see cref="Database.Verify(string, CancellationToken)"/>: every file checked, damage reported with file and offset,
/// nothing changed, including where an open would silently rebuild (a stale HNSW graph), and beside a writer.
/// </summary>
public sealed class VerifyTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Docs => _temp.CollectionDirectory("docs");

    /// <summary>"docs": 200 records (past the 128 that start an HNSW graph) checkpointed as generation 1, then one log batch.</summary>
    private void CreateDocs()
    {
        using Database db = _temp.Open();
        Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
        docs.UpsertMany(TestData.Records(200, 4));
        docs.Compact();
        docs.UpsertMany(TestData.Records(5, 4, seed: 2));
    }

    [Fact]
    public void A_read_only_handle_verifies_every_kind_of_file()
    {
        CreateDocs();
        using Database db = _temp.Open(new DatabaseOptions { ReadOnly = true });

        VerifyReport report = db.Verify();

        Assert.True(report.IsIntact, string.Join('\n', report.Findings));
        Assert.Empty(report.Findings);
        Assert.Equal(VerifiedFileKind.DatabaseManifest, Assert.Single(report.Files).Kind);
        CollectionVerifyReport docs = Assert.Single(report.Collections);
        Assert.Equal("docs", docs.Name);
        Assert.Equal(1, docs.CheckpointGeneration);
        Assert.Equal(200, docs.CheckpointRecords);
        Assert.Equal(1, docs.LogBatches);
        Assert.Equal(
            ["checkpoint.vlck", "g1.records.vlrec", "g1.vec0.vlvec", "g1.hnsw0.vlhnsw", "wal.vlwal"],
            docs.Files.Select(f => Path.GetFileName(f.Path)));
        Assert.Equal(
            [VerifiedFileKind.CheckpointManifest, VerifiedFileKind.Records, VerifiedFileKind.Vectors, VerifiedFileKind.HnswGraph, VerifiedFileKind.WriteAheadLog],
            docs.Files.Select(f => f.Kind));
        Assert.All(docs.Files, f => Assert.Equal(new FileInfo(f.Path).Length, f.Length));
    }

    [Fact]
    public void A_stale_graph_that_an_open_would_silently_rebuild_is_reported_as_damage()
    {
        CreateDocs();
        byte[] oldGraph = File.ReadAllBytes(Path.Combine(Docs, "g1.hnsw0.vlhnsw"));
        using (Database db = _temp.Open())
        {
            db.GetCollection("docs").Compact(); // generation 2, 205 records
        }
        // Put generation 1's (intact) graph in place of generation 2's, and make the manifest's length and checksum
        // agree with it: only the graph's stamp can tell that it indexes other data.
        string graphPath = Path.Combine(Docs, "g2.hnsw0.vlhnsw");
        File.WriteAllBytes(graphPath, oldGraph);
        CheckpointManifest manifest = CheckpointManifest.Read(Docs);
        new CheckpointManifest
        {
            Generation = manifest.Generation,
            Lsn = manifest.Lsn,
            RecordCount = manifest.RecordCount,
            CreatedAt = manifest.CreatedAt,
            Schema = manifest.Schema,
            PayloadIndexes = manifest.PayloadIndexes,
            Files = manifest.Files.Select(f => f.Name == "g2.hnsw0.vlhnsw" ? f with { Length = oldGraph.Length, Crc = Checksum.Compute(oldGraph) } : f).ToList(),
        }.WriteAtomic(VectLite.Storage.FileSystemStorage.Instance, Docs);

        VerifyReport report = Database.Verify(_temp.Path);

        Assert.False(report.IsIntact);
        VerifyFinding finding = Assert.Single(report.Findings);
        Assert.Equal(VerifySeverity.Damage, finding.Severity);
        Assert.Equal(graphPath, finding.FilePath);
        Assert.Equal(56, finding.Offset); // the stamp's place in the graph header
        Assert.StartsWith("the graph is stale", finding.Description, StringComparison.Ordinal);
        Assert.Equal(oldGraph, File.ReadAllBytes(graphPath)); // reported, not rebuilt
    }

    [Fact]
    public void A_log_batch_that_passes_its_checksum_but_does_not_decode_is_damage_at_its_frame()
    {
        CreateDocs();
        string walPath = Path.Combine(Docs, "wal.vlwal");
        long frameOffset = new FileInfo(walPath).Length;
        // A well-framed batch (length, checksum, the next LSN) whose one operation has an unknown type byte, 99.
        WalFrames.Append(walPath, lsn: 3, [1, 0, 0, 0, 99]); // LSN 1: the first upserts, 2: the second, 3: this

        CollectionVerifyReport report = Database.Verify(_temp.Path).Collections.Single();

        Assert.False(report.IsIntact);
        VerifyFinding finding = Assert.Single(report.Findings);
        Assert.Equal(walPath, finding.FilePath);
        Assert.Equal(frameOffset, finding.Offset);
        Assert.StartsWith("batch 3 passes its checksum but does not decode: unknown operation type 99", finding.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Collection_Verify_reports_the_same_files_as_the_database()
    {
        CreateDocs();
        using Database db = _temp.Open();
        Collection docs = db.GetCollection("docs");
        File.AppendAllText(Path.Combine(Docs, "g7.records.vlrec.tmp"), "half a checkpoint");

        CollectionVerifyReport report = docs.Verify();

        Assert.True(report.IsIntact);
        Assert.Equal(
            ["checkpoint.vlck", "g1.records.vlrec", "g1.vec0.vlvec", "g1.hnsw0.vlhnsw", "wal.vlwal", "g7.records.vlrec.tmp"],
            report.Files.Select(f => Path.GetFileName(f.Path)));
        VerifyFinding leftover = Assert.Single(report.Findings);
        Assert.Equal(VerifySeverity.Warning, leftover.Severity);
        Assert.Equal(Path.Combine(Docs, "g7.records.vlrec.tmp"), leftover.FilePath);
    }

    [Fact]
    public async Task Verify_beside_a_writer_that_keeps_checkpointing_never_reports_damage_or_a_torn_log()
    {
        CreateDocs();
        using Database db = _temp.Open();
        Collection docs = db.GetCollection("docs");
        int checkpoints = 0;
        using var stop = new CancellationTokenSource();
        Task writer = Task.Run(() =>
        {
            var random = new Random(7);
            for (int i = 1000; !stop.IsCancellationRequested; i++)
            {
                docs.Upsert(new Record(i, TestData.RandomVector(random, 4)));
                docs.Compact();
                Interlocked.Increment(ref checkpoints);
            }
        });
        try
        {
            // Count the verifications a checkpoint committed during: those are the ones that raced a writer.
            int overlapped = 0;
            for (int attempt = 0; overlapped < 100; attempt++)
            {
                Assert.True(attempt < 20_000, $"only {overlapped} of {attempt} verifications overlapped a checkpoint");
                Assert.False(writer.IsCompleted, writer.Exception?.ToString());
                int before = Volatile.Read(ref checkpoints);
                VerifyReport report = Database.Verify(_temp.Path);
                int after = Volatile.Read(ref checkpoints);
                Assert.True(report.IsIntact, string.Join('\n', report.Findings));
                // Leftovers of the running checkpoint are fair warnings; a log emptied under the reader is not a torn tail.
                Assert.All(report.Findings, f => Assert.Equal(VerifiedFileKind.Other, report.Collections.Single().Files.Single(x => x.Findings.Contains(f)).Kind));
                if (after > before)
                {
                    overlapped++;
                }
            }
        }
        finally
        {
            stop.Cancel();
            await writer;
        }
    }
}
