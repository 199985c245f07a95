using System.Text.Json.Nodes;

namespace VectLite.Tests.Api;

/// <summary><see cref="CollectionStats.ToString"/>: the counters a person wants, on a few lines.</summary>
public sealed class CollectionStatsTextTests
{
    [Fact]
    public void Stats_print_counts_indexes_memory_and_disk_on_separate_lines()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        c.CreatePayloadIndex("lang", PayloadIndexKind.Keyword);
        c.CreatePayloadIndex("year", PayloadIndexKind.Numeric);
        for (int i = 0; i < 1500; i++)
        {
            c.Upsert(new Record((ulong)i, new float[] { i, 1 }, new JsonObject { ["lang"] = "en" }) { Namespace = i < 1000 ? null : "t" });
        }
        c.Delete(0);
        c.Upsert(new Record(1, new float[] { 1, 2 }));

        CollectionStats stats = c.GetStats();
        string[] lines = stats.ToString().Split(Environment.NewLine);
        Assert.Equal(6, lines.Length);
        Assert.Equal("docs: 1,499 records (2 namespaces), 1,501 rows stored, 2 replaced or deleted", lines[0]);
        Assert.StartsWith("vector default: ", lines[1], StringComparison.Ordinal);
        Assert.Contains($"{stats.VectorIndexes[0].Nodes:N0} nodes ({stats.VectorIndexes[0].DeadNodes:N0} dead)", lines[1], StringComparison.Ordinal);
        Assert.Equal("payload indexes: lang (Keyword), year (Numeric)", lines[2]);
        Assert.StartsWith("memory: ", lines[3], StringComparison.Ordinal);
        Assert.Contains("vectors ", lines[3], StringComparison.Ordinal);
        Assert.Contains("payload indexes ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("disk: 0 B (log 0 B, 0 batches since checkpoint ", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("checkpoints: ", lines[5], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(1023, "1023 B")]
    [InlineData(1024, "1.0 KiB")]
    [InlineData(1536, "1.5 KiB")]
    [InlineData(5L * 1024 * 1024, "5.0 MiB")]
    [InlineData(3L * 1024 * 1024 * 1024, "3.0 GiB")]
    public void Bytes_print_in_binary_units(long bytes, string expected) => Assert.Equal(expected, CollectionStats.Bytes(bytes));
}
