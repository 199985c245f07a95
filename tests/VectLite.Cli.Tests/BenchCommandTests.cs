using System.Globalization;

namespace VectLite.Cli.Tests;

/// <summary><c>vectlite bench</c>: recall and speed of the index against exact search, on the collection's own vectors.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly SampleDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Reports_exact_then_one_row_per_ef_with_recall_between_0_and_1()
    {
        CliResult run = CliProcess.Run("bench", _db.Path, "docs", "--queries", "20", "-k", "5", "--ef", "8,300");
        Assert.True(run.ExitCode == 0, run.ToString());
        string[] lines = run.StdoutLines;
        Assert.Equal($"docs: {SampleDatabase.RecordCount:N0} records, vector 'default', 20 queries (stored vectors), recall@5 against exact search", lines[0]);
        Assert.Equal("search\tef\trecall\tqueries/s\tvs exact", lines[1]);
        Assert.StartsWith("exact\t-\t1.0000\t", lines[2], StringComparison.Ordinal);
        Assert.Equal(5, lines.Length);
        foreach ((string line, string ef) in new[] { (lines[3], "8"), (lines[4], "300") })
        {
            string[] cells = line.Split('\t');
            Assert.Equal(["hnsw", ef], cells[..2]);
            double recall = double.Parse(cells[2], CultureInfo.InvariantCulture);
            Assert.InRange(recall, 0.0, 1.0);
        }
        // ef 300 on 319 records of 8 dimensions visits nearly the whole graph: the exact answer.
        Assert.Equal("1.0000", lines[4].Split('\t')[2]);
    }

    [Theory]
    [InlineData("--queries", "0")]
    [InlineData("--ef", "10,x")]
    public void Bad_options_are_usage_errors(string option, string value)
    {
        CliResult run = CliProcess.Run("bench", _db.Path, "docs", option, value);
        Assert.Equal(2, run.ExitCode);
        Assert.False(run.HasStackTrace);
    }
}
