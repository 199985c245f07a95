using System.CommandLine;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite backup DB TARGET</c>: a consistent copy of the database into a new (or empty) directory, which opens as a
/// normal database. The database is opened for writing, since a backup holds its checkpoints back while it copies: run
/// it while no other process has the database open for writing, or call <see cref="Database.Backup"/> from that process.
/// </summary>
internal static class BackupCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("database") { Description = "The database directory." };
        var target = new Argument<string>("target") { Description = "A new or empty directory for the copy." };
        var command = new Command("backup", "Copy the database consistently into a new directory (the copy opens as a normal database).") { path, target };
        command.SetAction(result => CliErrors.Run(() =>
        {
            using Database db = Database.Open(DatabasePath.RequireExisting(result.GetRequiredValue(path)));
            BackupReport report = db.Backup(result.GetRequiredValue(target));
            foreach (CollectionBackup collection in report.Collections)
            {
                Console.Out.WriteLine($"{collection.Name}: {Format.Bytes(collection.Bytes)} up to batch {collection.Lsn:N0}");
            }
            Console.Out.WriteLine($"backed up {report.Collections.Count} collections ({Format.Bytes(report.TotalBytes)}) to {report.TargetDirectory} in {report.Elapsed.TotalMilliseconds:N0} ms");
            return 0;
        }));
        return command;
    }
}
