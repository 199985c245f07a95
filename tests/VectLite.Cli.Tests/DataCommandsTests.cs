namespace VectLite.Cli.Tests;

/// <summary>
/// The data commands: create, list, import, export, get, count, search, delete, drop. Each runs the real tool as a
/// child process on a database in a fresh directory; expected values are written out by hand (nearest neighbours of
/// a few 3-d points, worked out on paper).
/// </summary>
public sealed class DataCommandsTests : IDisposable
{
    private readonly SampleDatabase _db = new(create: false);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vectlite-cli-tests", "files-" + Guid.NewGuid().ToString("N"));

    public DataCommandsTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string WriteFile(string name, params string[] lines)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static CliResult Ok(params string[] args)
    {
        CliResult run = CliProcess.Run(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(run.HasStackTrace, run.ToString());
        return run;
    }

    private static readonly string[] Records =
    [
        """{"id":1,"vector":[1,0,0],"payload":{"lang":"en","n":1}}""",
        """{"id":"doc-2","vector":[0,1,0],"payload":{"lang":"de","n":2}}""",
        """{"id":3,"namespace":"t1","vector":[0,0,1],"payload":{"lang":"en","n":3}}""",
        """{"id":4,"vector":[0.9,0.1,0],"payload":{"lang":"en","n":4},"expires_at":"2099-01-01T00:00:00Z"}""",
    ];

    private void CreateAndImport()
    {
        Ok("create", _db.Path, "docs", "--dimension", "3", "--metric", "l2", "--index", "lang:keyword");
        CliResult import = Ok("import", _db.Path, "docs", WriteFile("in.jsonl", Records), "--batch-size", "2");
        Assert.StartsWith("imported 4 records into docs", import.StdoutLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Import_then_read_back_by_count_get_search_and_list()
    {
        CreateAndImport();

        Assert.Equal(["3"], Ok("count", _db.Path, "docs").StdoutLines);                      // default namespace
        Assert.Equal(["4"], Ok("count", _db.Path, "docs", "--all-namespaces").StdoutLines);
        Assert.Equal(["1"], Ok("count", _db.Path, "docs", "--namespace", "t1").StdoutLines);
        Assert.Equal(["2"], Ok("count", _db.Path, "docs", "--filter", """{"lang":"en"}""").StdoutLines);

        Assert.Equal(["""{"id":"doc-2","vectors":{"default":[0,1,0]},"payload":{"lang":"de","n":2}}"""], Ok("get", _db.Path, "docs", "doc-2").StdoutLines);
        Assert.Equal(["""{"id":4,"vectors":{"default":[0.9,0.1,0]},"payload":{"lang":"en","n":4},"expires_at":"2099-01-01T00:00:00.0000000Z"}"""],
            Ok("get", _db.Path, "docs", "4").StdoutLines);

        // Nearest to (1, 0.2, 0) in the default namespace by L2: record 4 (0.9, 0.1, 0) at sqrt(0.02), then 1 at 0.2.
        CliResult search = Ok("search", _db.Path, "docs", "--vector", "[1, 0.2, 0]", "-k", "2", "--json");
        Assert.Equal(2, search.StdoutLines.Length);
        Assert.StartsWith("""{"id":4,""", search.StdoutLines[0], StringComparison.Ordinal);
        Assert.StartsWith("""{"id":1,""", search.StdoutLines[1], StringComparison.Ordinal);
        // --like 1: record 1's own vector, itself left out: 4 is nearest.
        Assert.StartsWith("""{"id":4,""", Ok("search", _db.Path, "docs", "--like", "1", "-k", "1", "--json").StdoutLines[0], StringComparison.Ordinal);
        // A filter: only German records.
        Assert.StartsWith("""{"id":"doc-2",""", Assert.Single(Ok("search", _db.Path, "docs", "--vector", "[1,0,0]", "--filter", """{"lang":"de"}""", "--json").StdoutLines), StringComparison.Ordinal);
        // The table form has a header and one row per hit.
        string[] table = Ok("search", _db.Path, "docs", "--vector", "[1,0,0]", "-k", "3").StdoutLines;
        Assert.Equal("rank\tid\tnamespace\tscore\tpayload", table[0]);
        Assert.Equal(4, table.Length);

        Assert.Equal(["docs\t4 records\tdefault: 3-d L2"], Ok("list", _db.Path).StdoutLines);
    }

    [Fact]
    public void Export_then_import_into_another_collection_gives_the_same_records()
    {
        CreateAndImport();
        string exported = Path.Combine(_dir, "out.jsonl");
        Ok("export", _db.Path, "docs", "--all-namespaces", "--output", exported);
        Assert.Equal(4, File.ReadAllLines(exported).Length);

        Ok("create", _db.Path, "copy", "--dimension", "3", "--metric", "l2");
        Ok("import", _db.Path, "copy", exported);
        string again = Path.Combine(_dir, "again.jsonl");
        Ok("export", _db.Path, "copy", "--all-namespaces", "--output", again);
        Assert.Equal(File.ReadAllLines(exported), File.ReadAllLines(again));
        // Standard output, one namespace.
        Assert.Equal(["""{"id":3,"namespace":"t1","vectors":{"default":[0,0,1]},"payload":{"lang":"en","n":3}}"""],
            Ok("export", _db.Path, "copy", "--namespace", "t1").StdoutLines);
    }

    [Fact]
    public void A_bad_line_stops_the_import_at_its_batch_and_from_line_resumes()
    {
        Ok("create", _db.Path, "docs", "--dimension", "3");
        string file = WriteFile("in.jsonl",
            """{"id":1,"vector":[1,0,0]}""",
            """{"id":2,"vector":[0,1,0]}""",
            """{"id":3,"vector":[0,0,1]}""",
            """{"id":4,"vector":[1,1]}""",   // wrong dimension: its batch (lines 3-4) is not written
            """{"id":5,"vector":[1,1,1]}""");

        CliResult failed = CliProcess.Run("import", _db.Path, "docs", file, "--batch-size", "2");
        Assert.Equal(2, failed.ExitCode);
        Assert.False(failed.HasStackTrace);
        Assert.Contains("lines 3-4", failed.Stderr);
        Assert.Contains("resume with --from-line 3", failed.Stderr);
        Assert.Equal(["2"], Ok("count", _db.Path, "docs").StdoutLines);

        File.WriteAllLines(file, [.. File.ReadAllLines(file).Select(l => l.Replace("[1,1]", "[1,1,0]", StringComparison.Ordinal))]);
        Ok("import", _db.Path, "docs", file, "--from-line", "3");
        Assert.Equal(["5"], Ok("count", _db.Path, "docs").StdoutLines);

        CliResult notJson = CliProcess.Run("import", _db.Path, "docs", WriteFile("bad.jsonl", """{"id":9,"vector":[1,0,0]}""", "{not json"));
        Assert.Equal(2, notJson.ExitCode);
        Assert.Contains("line 2: not JSON", notJson.Stderr);
        Assert.Equal(["5"], Ok("count", _db.Path, "docs").StdoutLines); // the batch with the bad line was not written
    }

    [Fact]
    public void An_fvecs_file_imports_as_ids_0_1_2_and_a_cut_file_names_the_vector()
    {
        Ok("create", _db.Path, "vecs", "--dimension", "2", "--metric", "l2");
        string path = Path.Combine(_dir, "base.fvecs");
        using (var w = new BinaryWriter(File.Create(path)))
        {
            foreach (float[] v in new[] { new float[] { 1, 2 }, [3, 4], [5, 6] })
            {
                w.Write(2);
                w.Write(v[0]);
                w.Write(v[1]);
            }
        }
        Assert.StartsWith("imported 3 records into vecs", Ok("import", _db.Path, "vecs", path).StdoutLines[0], StringComparison.Ordinal);
        Assert.Equal(["""{"id":1,"vectors":{"default":[3,4]}}"""], Ok("get", _db.Path, "vecs", "1").StdoutLines);

        byte[] cut = File.ReadAllBytes(path)[..^2]; // the third vector's last value is cut short
        File.WriteAllBytes(path, cut);
        Ok("create", _db.Path, "cut", "--dimension", "2");
        CliResult run = CliProcess.Run("import", _db.Path, "cut", path, "--batch-size", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("vector 3: the file ends inside its 2 values. Lines up to 2 are imported: fix it and resume with --from-line 3.", run.Stderr);
        Assert.Equal(["2"], Ok("count", _db.Path, "cut").StdoutLines);
    }

    [Fact]
    public void Delete_by_id_and_by_filter_and_drop()
    {
        CreateAndImport();
        Assert.Equal(["deleted 2 records"], Ok("delete", _db.Path, "docs", "--id", "1", "--id", "doc-2").StdoutLines);
        Assert.Equal(["deleted 1 records"], Ok("delete", _db.Path, "docs", "--filter", """{"n":{"$lt":4}}""", "--all-namespaces").StdoutLines);
        Assert.Equal(["1"], Ok("count", _db.Path, "docs", "--all-namespaces").StdoutLines); // record 4 is left
        Assert.Equal(["dropped docs"], Ok("drop", _db.Path, "docs").StdoutLines);
        Assert.Empty(Ok("list", _db.Path).StdoutLines);
    }

    [Theory]
    [InlineData("both a vector and --like", "search", "--vector", "[1,0,0]", "--like", "1")]
    [InlineData("a filter that is not a filter", "count", "--filter", "{\"n\":{\"$between\":1}}")]
    [InlineData("a vector that is not numbers", "search", "--vector", "[1,\"a\",0]")]
    [InlineData("namespace with all namespaces", "count", "--namespace", "t1", "--all-namespaces")]
    [InlineData("delete without ids or filter", "delete")]
    public void Usage_errors_exit_2_with_one_line_and_change_nothing(string what, string command, params string[] rest)
    {
        CreateAndImport();
        CliResult run = CliProcess.Run([command, _db.Path, "docs", .. rest]);
        Assert.True(run.ExitCode == 2, $"{what}: {run}");
        Assert.False(run.HasStackTrace, run.ToString());
        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(["4"], Ok("count", _db.Path, "docs", "--all-namespaces").StdoutLines);
    }

    [Fact]
    public void A_writer_command_facing_another_process_lock_fails_with_DatabaseLocked_after_its_lock_timeout()
    {
        CreateAndImport();
        using (Database holder = Database.Open(_db.Path)) // this test process holds the writer lock
        {
            CliResult run = CliProcess.Run("delete", _db.Path, "docs", "--id", "1", "--lock-timeout", "0.5");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("DatabaseLocked", run.Stderr);
            Assert.False(run.HasStackTrace);
            Assert.Equal(4, holder.GetCollection("docs").CountAllNamespaces()); // nothing deleted
        }
        CliResult bad = CliProcess.Run("delete", _db.Path, "docs", "--id", "1", "--lock-timeout", "-1");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--lock-timeout", bad.Stderr);
        Assert.Equal(["deleted 1 records"], Ok("delete", _db.Path, "docs", "--id", "1", "--lock-timeout", "5").StdoutLines);
    }

    [Fact]
    public void An_unknown_collection_is_a_typed_error_exit_1()
    {
        CreateAndImport();
        CliResult run = CliProcess.Run("count", _db.Path, "nope");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("CollectionNotFound", run.Stderr);
        Assert.False(run.HasStackTrace);
    }
}
