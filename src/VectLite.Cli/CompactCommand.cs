using System.CommandLine;
using System.Diagnostics;

namespace VectLite.Cli;

/// <summary><c>vectlite compact DB [--collection NAME]</c>: checkpoint, reclaiming deleted and expired rows.</summary>
internal static class CompactCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("database") { Description = "The database directory." };
        var collection = new Option<string?>("--collection", "-c") { Description = "Only this collection (default: all)." };
        var command = new Command("compact", "Checkpoint collections: write live records to new files, empty the log, reclaim deleted and expired rows.") { path, collection };
        command.SetAction(result => CliErrors.Run(() =>
        {
            using Database db = Database.Open(DatabasePath.RequireExisting(result.GetRequiredValue(path)));
            string? only = result.GetValue(collection);
            foreach (string name in only is null ? db.ListCollections() : [only])
            {
                Collection c = db.GetCollection(name);
                CollectionStats before = c.GetStats();
                var watch = Stopwatch.StartNew();
                c.Compact();
                CollectionStats after = c.GetStats();
                Console.Out.WriteLine(
                    $"{name}: {after.RecordCount:N0} records, {before.StoredRows - after.StoredRows:N0} dead rows reclaimed, {Format.Bytes(before.BytesOnDisk)} -> {Format.Bytes(after.BytesOnDisk)} in {watch.Elapsed.TotalMilliseconds:N0} ms");
            }
            return 0;
        }));
        return command;
    }
}
