using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace VectLite.Cli;

/// <summary><c>vectlite inspect DB</c>: collections, schemas, counts, files and log state, read-only.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("database") { Description = "The database directory." };
        var command = new Command("inspect", "Show a database's collections, record counts, indexes, files and log state (opens read-only).") { path };
        command.SetAction(result => CliErrors.Run(() =>
        {
            using Database db = Database.Open(DatabasePath.RequireExisting(result.GetRequiredValue(path)), new DatabaseOptions { ReadOnly = true });
            AnsiConsole.MarkupLineInterpolated($"Database [bold]{db.Path}[/]");
            var table = new Table().AddColumns("collection", "schema", "records", "namespaces", "payload indexes", "stored rows", "on disk", "log", "torn tail");
            foreach (string name in db.ListCollections())
            {
                Collection c = db.GetCollection(name);
                CollectionStats s = c.GetStats();
                table.AddRow(
                    Markup.Escape(name),
                    Markup.Escape(c.Schema.ToString()),
                    s.RecordCount.ToString("N0", CultureInfo.InvariantCulture),
                    Markup.Escape(string.Join(", ", s.NamespaceCounts.Select(kv => $"{(kv.Key.Length == 0 ? "(default)" : kv.Key)}: {kv.Value:N0}"))),
                    Markup.Escape(string.Join(", ", s.PayloadIndexes.Select(i => $"{i.Field} ({i.Kind})"))),
                    s.StoredRows.ToString("N0", CultureInfo.InvariantCulture),
                    Format.Bytes(s.BytesOnDisk),
                    $"{Format.Bytes(s.WalBytes)}, {s.WalBatchesSinceCheckpoint:N0} batches",
                    s.TornTailBytesDropped == 0 ? "none" : Markup.Escape($"{s.TornTailBytesDropped} bytes ({s.TornTailReason})"));
            }
            AnsiConsole.Write(table);
            return 0;
        }));
        return command;
    }
}
