using System.Buffers.Binary;

namespace VectLite.Cli.Tests;

/// <summary><c>vectlite recover</c>: salvages a damaged log so the database opens and verifies again; touches nothing intact.</summary>
public sealed class RecoverCommandTests : IDisposable
{
    private readonly SampleDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_log_damaged_in_its_second_batch_is_salvaged_to_the_first_and_the_database_verifies_again()
    {
        byte[] log = File.ReadAllBytes(_db.WalPath);
        long second = 32 + 24 + BinaryPrimitives.ReadInt32LittleEndian(log.AsSpan(32)); // file header, frame header (log format 2), batch
        _db.FlipByte("collections/docs/wal.vlwal", second + 24 + 5); // inside the second of three batches
        Assert.Equal(1, CliProcess.Run("verify", _db.Path).ExitCode);

        CliResult run = CliProcess.Run("recover", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.StdoutLines, l => l.StartsWith("salvaged docs: kept 1 batches; from byte " + second.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        string backup = Assert.Single(Directory.GetFiles(_db.CollectionDirectory, "wal.vlwal.damaged-*"));
        Assert.Equal(log.Length, new FileInfo(backup).Length);
        Assert.Equal(second, new FileInfo(_db.WalPath).Length);

        CliResult verify = CliProcess.Run("verify", _db.Path);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public void An_intact_database_is_reported_intact_and_left_byte_for_byte_as_it_was()
    {
        SortedDictionary<string, string> before = _db.Fingerprint();

        CliResult run = CliProcess.Run("recover", _db.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"intact   docs: {SampleDatabase.LogBatches} batches in the log", run.StdoutLines);
        Assert.Equal(before, _db.Fingerprint());
    }

    [Fact]
    public void A_path_that_is_not_a_database_exits_2_and_creates_nothing()
    {
        string missing = Path.Combine(_db.Path, "no-such-database");

        CliResult run = CliProcess.Run("recover", missing);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("does not exist", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }
}
