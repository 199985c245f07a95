namespace VectLite.Cli.Tests;

/// <summary><c>vectlite backup</c>: the copy opens as a normal database with every record; a non-empty target is refused.</summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly SampleDatabase _db = new();
    private readonly string _target = Path.Combine(Path.GetTempPath(), "vectlite-cli-tests", "backup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _db.Dispose();
        if (Directory.Exists(_target))
        {
            Directory.Delete(_target, recursive: true);
        }
    }

    [Fact]
    public void Backup_copies_every_record_and_the_copy_opens()
    {
        CliResult run = CliProcess.Run("backup", _db.Path, _target);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("docs: ", run.StdoutLines[0], StringComparison.Ordinal);
        Assert.EndsWith($"up to batch {SampleDatabase.LogBatches + 2}", run.StdoutLines[0], StringComparison.Ordinal); // create index, 300 upserts, then the log's 3
        Assert.StartsWith("backed up 1 collections ", run.StdoutLines[1], StringComparison.Ordinal);

        using Database copy = Database.Open(_target, new DatabaseOptions { ReadOnly = true });
        Collection docs = copy.GetCollection("docs");
        Assert.Equal(SampleDatabase.RecordCount, docs.Count());
        Assert.Null(docs.Get(0));
        Assert.Equal(new float[] { 319, 320, 321, 322, 323, 324, 325, 326 }, docs.Get(319)!.Vector!.Value.ToArray());
        Assert.Equal(160, docs.Count(Filter.Eq("category", "b")));
    }

    [Fact]
    public void Backup_into_a_non_empty_directory_fails_with_a_one_line_error_and_writes_nothing()
    {
        Directory.CreateDirectory(_target);
        File.WriteAllText(Path.Combine(_target, "notes.txt"), "keep");

        CliResult run = CliProcess.Run("backup", _db.Path, _target);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error (BackupTargetNotEmpty): ", run.Stderr, StringComparison.Ordinal);
        Assert.False(run.HasStackTrace, run.ToString());
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(_target).Select(Path.GetFileName));
    }
}
