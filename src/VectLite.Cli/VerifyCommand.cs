using System.CommandLine;
using Spectre.Console;

namespace VectLite.Cli;

/// <summary><c>vectlite verify DB</c>: open every collection read-only, which checks every checksum, and report.</summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("database") { Description = "The database directory." };
        var command = new Command("verify", "Check every file of every collection (magic numbers, versions, checksums, log frames). Exit code 1 if anything is damaged.") { path };
        command.SetAction(result => CliErrors.Run(() =>
        {
            using Database db = Database.Open(result.GetRequiredValue(path), new DatabaseOptions { ReadOnly = true });
            int damaged = 0;
            foreach (string name in db.ListCollections())
            {
                try
                {
                    CollectionStats s = db.GetCollection(name).GetStats();
                    string tail = s.TornTailBytesDropped == 0 ? "" : $" (a torn log tail of {s.TornTailBytesDropped} bytes will be dropped: {s.TornTailReason})";
                    AnsiConsole.MarkupLineInterpolated($"[green]ok[/]      {name}: {s.RecordCount:N0} records{tail}");
                }
                catch (CorruptFileException ex)
                {
                    damaged++;
                    AnsiConsole.MarkupLineInterpolated($"[red]damaged[/] {name}: {ex.Message}");
                }
            }
            return damaged == 0 ? 0 : CliErrors.Failure;
        }));
        return command;
    }
}
