using System.CommandLine;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite export DB COLLECTION [--output FILE] [--namespace NS | --all-namespaces] [--filter JSON]</c>: every
/// record as JSON Lines (vectors, payloads, expiry), in id order, streamed page by page; <c>import</c> reads it back.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var name = CommonOptions.Collection();
        var output = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output." };
        var ns = CommonOptions.Namespace();
        var all = CommonOptions.AllNamespaces();
        var filter = CommonOptions.Filter();
        var command = new Command("export", "Write a collection's records as JSON Lines (the form import reads).") { path, name, output, ns, all, filter };
        command.SetAction(result => CliErrors.Run(() =>
        {
            CommonOptions.CheckScope(result.GetValue(ns), result.GetValue(all));
            Filter? parsed = CommonOptions.ParseFilter(result.GetValue(filter));
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: true);
            Collection collection = db.GetCollection(result.GetRequiredValue(name));
            string? target = result.GetValue(output);
            using TextWriter writer = target is null ? Console.Out : new StreamWriter(target);
            var lines = new JsonLines(writer);
            long count = 0;
            string? cursor = null;
            do
            {
                ScrollPage page = collection.Scroll(new ScrollOptions
                {
                    Limit = 500,
                    Namespace = result.GetValue(ns),
                    AllNamespaces = result.GetValue(all),
                    Filter = parsed,
                    IncludeVectors = true,
                    Cursor = cursor,
                });
                foreach (Record record in page.Records)
                {
                    lines.Write(json => RecordJson.Write(json, record));
                    count++;
                }
                cursor = page.NextCursor;
            }
            while (cursor is not null);
            if (target is not null)
            {
                Console.Out.WriteLine($"exported {count:N0} records from {collection.Name} to {target}");
            }
            return 0;
        }));
        return command;
    }
}
