using System.Text.Json.Serialization;
using Parquet.Serialization;

namespace VectLite.Cli.Tests;

/// <summary>
/// import and export in CSV, Parquet and .npy: round trips through the tool, and files made by other programs (a CSV
/// written by hand, .npy files written by numpy, a Parquet file written by Parquet.Net's serializer) read correctly;
/// bad files are refused with the line or row named. Expected records are written out by hand.
/// </summary>
/// <remarks>
/// The .npy fixtures were made with numpy 1.24.2 (/usr/bin/python3):
/// <c>np.save("vectors-4x3.npy", (np.arange(12, dtype="&lt;f4").reshape(4, 3) / 4).astype("&lt;f4"))</c>,
/// <c>np.save("ids-4.npy", np.array([10, 20, 30, 40], dtype="&lt;i8"))</c>,
/// <c>np.save("vectors-f8.npy", np.zeros((2, 3), dtype="&lt;f8"))</c>.
/// </remarks>
public sealed class FileFormatsTests : IDisposable
{
    private readonly SampleDatabase _db = new(create: false);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "vectlite-cli-tests", "formats-" + Guid.NewGuid().ToString("N"));

    public FileFormatsTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        _db.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    private string File_(string name) => Path.Combine(_dir, name);

    private static CliResult Ok(params string[] args)
    {
        CliResult run = CliProcess.Run(args);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(run.HasStackTrace, run.ToString());
        return run;
    }

    private static CliResult Refused(string fragment, params string[] args)
    {
        CliResult run = CliProcess.Run(args);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.False(run.HasStackTrace, run.ToString());
        Assert.Contains(fragment, run.Stderr, StringComparison.Ordinal);
        return run;
    }

    private static readonly string[] Records =
    [
        """{"id":1,"vector":[1,0,0],"payload":{"lang":"en","n":1,"score":0.5,"draft":true,"meta":{"a":[1,2]},"tags":["x","y"]}}""",
        """{"id":"doc-2","vector":[0,1,0.25],"payload":{"lang":"de","n":-2,"score":1.75,"draft":false}}""",
        """{"id":3,"vector":[0,0,1],"payload":{"lang":"fr, \"quoted\"","n":3}}""",
        """{"id":4,"vector":[0.1,0.2,0.3]}""",
    ];

    private void CreateWithRecords(string collection)
    {
        Ok("create", _db.Path, collection, "--dimension", "3", "--metric", "l2");
        string jsonl = File_("in.jsonl");
        File.WriteAllLines(jsonl, Records);
        Ok("import", _db.Path, collection, jsonl);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    public void Export_then_import_gives_the_same_records(string format)
    {
        CreateWithRecords("docs");
        string file = File_("out." + format);
        Assert.StartsWith($"exported 4 records from docs to {file} ({format})", Ok("export", _db.Path, "docs", "--output", file).StdoutLines[0], StringComparison.Ordinal);
        Ok("create", _db.Path, "copy", "--dimension", "3", "--metric", "l2");
        Assert.StartsWith("imported 4 records into copy", Ok("import", _db.Path, "copy", file).StdoutLines[0], StringComparison.Ordinal);
        Assert.Equal(Ok("export", _db.Path, "docs").StdoutLines, Ok("export", _db.Path, "copy").StdoutLines);
        if (format == "csv")
        {
            // The columns: id, the vector, then payload fields in order of first appearance; strings unquoted unless needed.
            string[] lines = File.ReadAllLines(file);
            Assert.Equal("id,vector,lang,n,score,draft,meta,tags", lines[0]);
            Assert.Equal("3,\"[0,0,1]\",\"fr, \"\"quoted\"\"\",3,,,,", lines[2]); // ids in order: 1, 3, 4, then the string id
        }
    }

    [Fact]
    public void A_csv_written_by_hand_with_semicolons_quotes_and_space_separated_vectors_imports()
    {
        Ok("create", _db.Path, "docs", "--dimension", "3", "--metric", "l2");
        string csv = File_("hand.csv");
        File.WriteAllLines(csv,
        [
            "id;vector;title;year;zip;draft",
            "7;\"0.5 0.25  1\";\"Hello; world\";2021;00123;true",
            "8;[1, 0, 0];plain;1999.5;;",
        ]);
        Ok("import", _db.Path, "docs", csv);
        Assert.Equal(["""{"id":7,"vectors":{"default":[0.5,0.25,1]},"payload":{"title":"Hello; world","year":2021,"zip":"00123","draft":true}}"""],
            Ok("get", _db.Path, "docs", "7").StdoutLines);
        Assert.Equal(["""{"id":8,"vectors":{"default":[1,0,0]},"payload":{"title":"plain","year":1999.5}}"""],
            Ok("get", _db.Path, "docs", "8").StdoutLines);
    }

    [Fact]
    public void A_bad_csv_cell_or_row_names_its_line()
    {
        Ok("create", _db.Path, "docs", "--dimension", "3");
        string csv = File_("bad.csv");
        File.WriteAllLines(csv, ["id,vector,n", "1,[1 0 0],1", "2,1 x 3,2"]);
        CliResult run = Refused("line 3: column 'vector': 'x' is not a finite number.", "import", _db.Path, "docs", csv);
        Assert.Contains("Lines up to 0 are imported: fix it and resume with --from-line 1.", run.Stderr, StringComparison.Ordinal);

        File.WriteAllLines(csv, ["id,vector,n", "1,[1 0 0],1", "2,[0 1 0]"]);
        Refused("line 3", "import", _db.Path, "docs", csv);
    }

    [Fact]
    public void An_npy_written_by_numpy_imports_with_ids_and_exports_the_same_bytes()
    {
        Ok("create", _db.Path, "vecs", "--dimension", "3", "--metric", "l2");
        Ok("import", _db.Path, "vecs", Fixture("vectors-4x3.npy"), "--ids", Fixture("ids-4.npy"));
        Assert.Equal(["4"], Ok("count", _db.Path, "vecs").StdoutLines);
        // Row 2 (from 0) is [6, 7, 8] / 4, with id 30.
        Assert.Equal(["""{"id":30,"vectors":{"default":[1.5,1.75,2]}}"""], Ok("get", _db.Path, "vecs", "30").StdoutLines);

        string npy = File_("out.npy"), ids = File_("out.ids");
        Ok("export", _db.Path, "vecs", "--output", npy, "--ids", ids);
        Assert.Equal(File.ReadAllBytes(Fixture("vectors-4x3.npy")), File.ReadAllBytes(npy)); // numpy's own header and bytes
        Assert.Equal(["10", "20", "30", "40"], File.ReadAllLines(ids));

        // Without ids, rows are ids 0, 1, 2, 3; a text ids file works too.
        Ok("create", _db.Path, "rows", "--dimension", "3", "--metric", "l2");
        Ok("import", _db.Path, "rows", Fixture("vectors-4x3.npy"));
        Assert.Equal(["""{"id":2,"vectors":{"default":[1.5,1.75,2]}}"""], Ok("get", _db.Path, "rows", "2").StdoutLines);
        File.WriteAllLines(File_("ids.txt"), ["a", "b", "c", "d"]);
        Ok("create", _db.Path, "named", "--dimension", "3", "--metric", "l2");
        Ok("import", _db.Path, "named", Fixture("vectors-4x3.npy"), "--ids", File_("ids.txt"));
        Assert.Equal(["""{"id":"c","vectors":{"default":[1.5,1.75,2]}}"""], Ok("get", _db.Path, "named", "c").StdoutLines);
    }

    [Fact]
    public void Bad_npy_files_are_refused_with_the_reason()
    {
        Ok("create", _db.Path, "vecs", "--dimension", "3");
        Refused("dtype '<f8' is not little-endian float32", "import", _db.Path, "vecs", Fixture("vectors-f8.npy"));
        string cut = File_("cut.npy");
        File.WriteAllBytes(cut, File.ReadAllBytes(Fixture("vectors-4x3.npy"))[..150]); // 128-byte header, then 1 row of 12 bytes and 10 of row 2
        Refused("row 2 of 4 is cut short", "import", _db.Path, "vecs", cut);
        File.WriteAllLines(File_("three.txt"), ["1", "2", "3"]);
        Refused("has 3 ids but", "import", _db.Path, "vecs", Fixture("vectors-4x3.npy"), "--ids", File_("three.txt"));
        File.WriteAllText(File_("text.npy"), "not numpy");
        Refused("is not an .npy file", "import", _db.Path, "vecs", File_("text.npy"));
        Assert.Equal(["0"], Ok("count", _db.Path, "vecs").StdoutLines);
    }

    /// <summary>A row as another program writes it with Parquet.Net's serializer: a list&lt;float&gt; vector and typed columns.</summary>
    public sealed class Row
    {
        [JsonPropertyName("id")]
        public long Id { get; set; }

        [JsonPropertyName("vector")]
        public float[] Vector { get; set; } = [];

        [JsonPropertyName("title")]
        public string? Title { get; set; }

        [JsonPropertyName("year")]
        public int? Year { get; set; }

        [JsonPropertyName("tags")]
        public List<string> Tags { get; set; } = [];
    }

    [Fact]
    public async Task A_parquet_file_written_by_parquet_net_imports()
    {
        string file = File_("rows.parquet");
        Row[] rows =
        [
            new() { Id = 5, Vector = [0.5f, 0.25f, 1], Title = "five", Year = 2005, Tags = ["a", "b"] },
            new() { Id = 6, Vector = [1, 0, 0], Title = null, Year = null, Tags = [] },
        ];
        await ParquetSerializer.SerializeAsync(rows, file);
        Ok("create", _db.Path, "docs", "--dimension", "3", "--metric", "l2");
        Ok("import", _db.Path, "docs", file);
        Assert.Equal(["""{"id":5,"vectors":{"default":[0.5,0.25,1]},"payload":{"title":"five","year":2005,"tags":["a","b"]}}"""],
            Ok("get", _db.Path, "docs", "5").StdoutLines);
        Assert.Equal(["""{"id":6,"vectors":{"default":[1,0,0]}}"""], Ok("get", _db.Path, "docs", "6").StdoutLines);

        File.WriteAllText(File_("fake.parquet"), "id,vector\n1,[1 0 0]\n");
        Refused("is not a readable Parquet file", "import", _db.Path, "docs", File_("fake.parquet"));
    }
}
