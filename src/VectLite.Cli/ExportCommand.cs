using System.CommandLine;
using VectLite.Cli.Formats;
using VectLite.Cli.Qdrant;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite export DB COLLECTION [--output FILE] [--format jsonl|csv|parquet|npy] [--namespace NS | --all-namespaces] [--filter JSON]</c>:
/// every record in id order, streamed page by page, as JSON Lines (vectors, payloads, expiry: lossless), CSV or Parquet
/// (vector columns and payload columns, <see cref="CsvRecords"/>, <c>ParquetRecords</c>) or an .npy matrix of one
/// vector (<see cref="NpyRecords"/>); <c>import</c> reads each back.
/// With <c>--to-qdrant URL</c> the collection goes into a Qdrant server instead (<see cref="QdrantExport"/>).
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
        var format = new Option<string?>("--format") { Description = "jsonl, csv, parquet or npy (default: from the --output file name; standard output is jsonl)." };
        var ids = new Option<string?>("--ids") { Description = "With --format npy: also write the ids, one per line, to this file (an .npy holds vectors only)." };
        var vectorName = new Option<string?>("--vector") { Description = "With --format npy: the named vector to write (default: the collection's only vector)." };
        var toQdrant = new Option<string?>("--to-qdrant") { Description = "Copy the collection into the Qdrant server at this gRPC address (http://host:6334) instead: schema, payload indexes, vectors and payloads, in batches, resumable." };
        QdrantOptions qdrant = QdrantOptions.Create("The collection's name in Qdrant (default: the same name).");
        var command = new Command("export", "Write a collection's records as JSON Lines, CSV, Parquet or .npy (the forms import reads), or copy it into a Qdrant server (--to-qdrant).")
        {
            path, name, output, format, ids, vectorName, ns, all, filter, toQdrant, qdrant.ApiKey, qdrant.Collection, qdrant.BatchSize, qdrant.Resume, qdrant.Checkpoint,
        };
        command.SetAction(result => CliErrors.Run(() =>
        {
            CommonOptions.CheckScope(result.GetValue(ns), result.GetValue(all));
            if (result.GetValue(toQdrant) is { } url)
            {
                if (result.GetValue(output) is not null || result.GetValue(all) || result.GetValue(filter) is not null)
                {
                    throw new CliUsageException("--to-qdrant copies one namespace's whole collection: --output, --all-namespaces and --filter do not apply.");
                }
                string source = result.GetRequiredValue(name);
                string targetName = result.GetValue(qdrant.Collection) ?? source;
                return QdrantExport.Run(new QdrantExport.Settings(result.GetRequiredValue(path), source, result.GetValue(ns), url, result.GetValue(qdrant.ApiKey),
                    targetName, qdrant.CheckedBatchSize(result), result.GetValue(qdrant.Resume),
                    result.GetValue(qdrant.Checkpoint) ?? TransferCheckpoint.DefaultPath("to-qdrant", source, targetName)));
            }
            qdrant.RefuseWithout(result, "--to-qdrant");
            Filter? parsed = CommonOptions.ParseFilter(result.GetValue(filter));
            string? target = result.GetValue(output);
            string kind = (result.GetValue(format) ?? FileFormats.FromName(target, "jsonl")).ToLowerInvariant();
            FileFormats.Check(kind, "--format");
            if (kind is "npy" or "parquet" && target is null)
            {
                throw new CliUsageException($"{kind} is a binary format: give the file with --output.");
            }
            if (kind != "npy" && (result.GetValue(ids) is not null || result.GetValue(vectorName) is not null))
            {
                throw new CliUsageException("--ids and --vector go with --format npy.");
            }
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: true);
            Collection collection = db.GetCollection(result.GetRequiredValue(name));
            var scope = new ScrollOptions
            {
                Limit = 500,
                Namespace = result.GetValue(ns),
                AllNamespaces = result.GetValue(all),
                Filter = parsed,
                IncludeVectors = true,
            };
            var progress = new TransferProgress(total: null);
            long count;
            switch (kind)
            {
                case "csv":
                {
                    List<string> fields = FileFormats.PayloadFields(collection, scope, reserved: ["id", "namespace", CsvRecords.VectorColumn], reservedPrefix: CsvRecords.NamedVectorPrefix);
                    using TextWriter writer = target is null ? Console.Out : new StreamWriter(target);
                    count = 0;
                    CsvRecords.Write(writer, collection.Schema, fields, result.GetValue(all), FileFormats.Records(collection, scope), n => progress.Report(count = n));
                    break;
                }
                case "npy":
                {
                    VectorSpec spec = FileFormats.OneVector(collection, result.GetValue(vectorName));
                    count = NpyRecords.Write(target!, result.GetValue(ids), spec.Name, spec.Dimension, FileFormats.Records(collection, scope), progress.Report);
                    break;
                }
#if VECTLITE_PARQUET
                case "parquet":
                {
                    List<string> fields = FileFormats.PayloadFields(collection, scope, reserved: ["id", "namespace", CsvRecords.VectorColumn], reservedPrefix: CsvRecords.NamedVectorPrefix);
                    count = ParquetRecords.Write(target!, collection, scope, fields, result.GetValue(all), progress.Report);
                    break;
                }
#endif
                default:
                {
                    using TextWriter writer = target is null ? Console.Out : new StreamWriter(target);
                    var lines = new JsonLines(writer);
                    count = 0;
                    foreach (Record record in FileFormats.Records(collection, scope))
                    {
                        lines.Write(json => RecordJson.Write(json, record));
                        count++;
                    }
                    break;
                }
            }
            progress.Done();
            if (target is not null)
            {
                Console.Out.WriteLine($"exported {count:N0} records from {collection.Name} to {target} ({kind})");
            }
            return 0;
        }));
        return command;
    }
}
