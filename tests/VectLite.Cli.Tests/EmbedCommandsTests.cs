namespace VectLite.Cli.Tests;

/// <summary>
/// <c>import --embed</c> and <c>search --text</c> with the built-in all-MiniLM-L6-v2 model: text in, semantic search
/// out. Expected neighbours are paraphrases a reader picks without the model.
/// </summary>
public sealed class EmbedCommandsTests : IDisposable
{
    private readonly SampleDatabase _db = new(create: false);
    private readonly string _file = Path.Combine(Path.GetTempPath(), "vectlite-cli-embed-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public void Dispose()
    {
        _db.Dispose();
        File.Delete(_file);
    }

    private static CliResult Ok(params string[] args)
    {
        CliResult run = CliProcess.Run(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        return run;
    }

    private static CliResult Refused(params string[] args)
    {
        CliResult run = CliProcess.Run(args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.False(run.HasStackTrace, run.ToString());
        return run;
    }

    [Fact]
    public void Imported_text_is_embedded_and_found_by_a_paraphrase()
    {
        File.WriteAllLines(_file,
        [
            """{"id":"pasta","payload":{"doc":{"body":"Boil the spaghetti in salted water for ten minutes, then drain it."}}}""",
            """{"id":"rates","payload":{"doc":{"body":"The central bank raised interest rates to slow inflation."}}}""",
            """{"id":"match","payload":{"doc":{"body":"The striker scored twice in the second half of the final."}}}""",
            """{"id":"backup","payload":{"doc":{"body":"Copy the database directory while no process writes to it."}}}""",
        ]);
        Ok("create", _db.Path, "notes", "--dimension", "384");

        CliResult import = Ok("import", _db.Path, "notes", _file, "--embed", "doc.body", "--batch-size", "3");

        Assert.StartsWith("imported 4 records into notes", import.StdoutLines[0], StringComparison.Ordinal);
        Assert.StartsWith("1\tpasta\t", Ok("search", _db.Path, "notes", "--text", "how long do I cook noodles?", "-k", "1").StdoutLines[1], StringComparison.Ordinal);
        Assert.StartsWith("1\tbackup\t", Ok("search", _db.Path, "notes", "--text", "keep a safe copy of my data", "-k", "1").StdoutLines[1], StringComparison.Ordinal);
        Assert.StartsWith("1\trates\t", Ok("search", _db.Path, "notes", "--text", "monetary policy", "-k", "1").StdoutLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Embedding_mistakes_are_refused_before_anything_is_written()
    {
        File.WriteAllLines(_file,
        [
            """{"id":"a","payload":{"body":"fine text"}}""",
            """{"id":"b","payload":{"body":42}}""",
        ]);
        Ok("create", _db.Path, "notes", "--dimension", "384");
        Ok("create", _db.Path, "small", "--dimension", "8");

        Assert.Contains("line 2: --embed body: the payload has no string at \"body\"", Refused("import", _db.Path, "notes", _file, "--embed", "body").Stderr, StringComparison.Ordinal);
        Assert.Equal(["0"], Ok("count", _db.Path, "notes").StdoutLines);
        Assert.Contains("has 8 dimensions", Refused("import", _db.Path, "small", _file, "--embed", "body").Stderr, StringComparison.Ordinal);
        Assert.Contains("no vector named 'other'", Refused("import", _db.Path, "notes", _file, "--embed", "body", "--embed-vector", "other").Stderr, StringComparison.Ordinal);
        Assert.Contains("--embed-vector needs --embed", Refused("import", _db.Path, "notes", _file, "--embed-vector", "default").Stderr, StringComparison.Ordinal);
        Assert.Contains("exactly one of --vector, --vector-file, --like and --text", Refused("search", _db.Path, "notes", "--text", "x", "--vector", "[1]").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_text_puts_keyword_semantic_and_hybrid_answers_side_by_side()
    {
        File.WriteAllLines(_file,
        [
            """{"id":"pasta","text":"Boil the spaghetti in salted water for ten minutes, then drain it."}""",
            """{"id":"rates","text":"The central bank raised interest rates to slow inflation."}""",
            """{"id":"match","text":"The striker scored twice in the second half of the final."}""",
            """{"id":"water","text":"Water the garden early in the morning in summer."}""",
        ]);

        CliResult run = Ok("demo-text", "--corpus", _file, "--query", "noodles", "--query", "garden water", "-k", "1");

        // "noodles" is in no text: BM25 finds nothing, the embeddings find the pasta, and so does the fused query.
        Assert.Contains(run.StdoutLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^│ \(none\)\s+│ pasta\s+│ pasta\s+│$"));
        // Both words match "water" (and "water" alone matches the pasta too): every column ranks it first.
        Assert.Contains(run.StdoutLines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^│ water\s+│ water\s+│ water\s+│$"));
        Assert.Contains("4 texts", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_text_names_a_bad_corpus_line()
    {
        File.WriteAllLines(_file, ["""{"id":"a","text":"fine"}""", """{"id":"b"}"""]);

        Assert.Contains("--corpus line 2", Refused("demo-text", "--corpus", _file).Stderr, StringComparison.Ordinal);
    }
}
