using System.CommandLine;
using System.Globalization;

namespace VectLite.Cli;

/// <summary><c>vectlite inspect DB</c>: collections, schemas, counts, files and log state, read-only.</summary>
/// <remarks>
/// One "name value" line per fact rather than a table: nine columns do not fit a terminal, and a table squeezed to 80
/// columns (what a pipe gets) splits every value across lines, which neither people nor scripts can read.
/// </remarks>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("database") { Description = "The database directory." };
        var command = new Command("inspect", "Show a database's collections, record counts, indexes, files and log state (opens read-only).") { path };
        command.SetAction(result => CliErrors.Run(() =>
        {
            using Database db = Database.Open(DatabasePath.RequireExisting(result.GetRequiredValue(path)), new DatabaseOptions { ReadOnly = true });
            TextWriter output = Console.Out;
            output.WriteLine($"Database {db.Path}");
            IReadOnlyList<string> names = db.ListCollections();
            if (names.Count == 0)
            {
                output.WriteLine("No collections.");
            }
            foreach (string name in names)
            {
                Collection c = db.GetCollection(name);
                CollectionStats s = c.GetStats();
                output.WriteLine($"Collection {name}");
                Line(output, "schema", c.Schema.ToString());
                Line(output, "hnsw", Describe(c.Schema.Hnsw));
                Line(output, "records", Count(s.RecordCount));
                Line(output, "namespaces", string.Join(", ", s.NamespaceCounts.Select(kv => $"{(kv.Key.Length == 0 ? "(default)" : kv.Key)}: {Count(kv.Value)}")));
                Line(output, "payload indexes", s.PayloadIndexes.Count == 0 ? "none" : string.Join(", ", s.PayloadIndexes.Select(i => $"{i.Field} ({i.Kind})")));
                Line(output, "stored rows", $"{Count(s.StoredRows)} ({Count(s.DeletedRows)} deleted or replaced, reclaimed by compact)");
                Line(output, "vector indexes", s.VectorIndexes.Count == 0 ? "none" : string.Join(", ", s.VectorIndexes.Select(Describe)));
                if (s.ValueGraphs.Count > 0)
                {
                    Line(output, "value graphs", string.Join(", ", s.ValueGraphs.Select(Describe)));
                }
                Line(output, "checkpoint", $"generation {s.CheckpointGeneration}");
                Line(output, "log", $"{Format.Bytes(s.WalBytes)}, {Count(s.WalBatchesSinceCheckpoint)} batches since the checkpoint");
                Line(output, "torn tail", s.TornTailBytesDropped == 0 ? "none" : $"{s.TornTailBytesDropped} bytes ({s.TornTailReason})");
                Line(output, "on disk", Format.Bytes(s.BytesOnDisk));
            }
            return 0;
        }));
        return command;
    }

    private static string Describe(VectorIndexStats v) => v.Indexed
        ? $"{v.VectorName}: HNSW, {Count(v.Nodes)} nodes ({Count(v.DeadNodes)} dead), {Format.Bytes(v.MemoryBytes)}, {v.Origin}"
        : $"{v.VectorName}: exact scan (no HNSW graph yet)";

    private static string Describe(ValueGraphStats g) =>
        $"{g.VectorName}/{g.Field}: {Count(g.Graphs)} values, {Count(g.Nodes)} nodes ({Count(g.DeadNodes)} dead), {Format.Bytes(g.MemoryBytes)}, {g.Origin}" +
        (g.Rebuilding == 0 ? "" : $", {Count(g.Rebuilding)} being built again") + (g.WaitingRows == 0 ? "" : $", {Count(g.WaitingRows)} rows waiting");

    /// <summary>The structural settings (fixed at creation), then the runtime ones (changed by Collection.UpdateOptions).</summary>
    private static string Describe(HnswOptions h) =>
        $"M {h.M}, ef_construction {h.EfConstruction}; runtime: ef_search {(h.EfSearch == 0 ? "auto" : Count(h.EfSearch))}, " +
        $"index {(h.MinIndexedVectors == int.MaxValue ? "never" : "from " + Count(h.MinIndexedVectors) + " vectors")}, " +
        $"parallel insert from {Count(h.ParallelInsertThreshold)} records on {(h.MaxInsertThreads == 0 ? "all cores" : Count(h.MaxInsertThreads) + " threads")}, " +
        $"rebuild at {h.TombstoneRebuildPercent}% dead";

    private static void Line(TextWriter output, string label, string value) => output.WriteLine($"  {label,-16} {value}");

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
