using System.CommandLine;
using System.Diagnostics;
using VectLite.Cli.Formats;
using VectLite.Cli.Qdrant;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite import DB COLLECTION FILE|- [--format F] [--batch-size 1000] [--from-line N] [--embed FIELD [--embed-vector NAME]]</c>:
/// upserts records from JSON Lines (<see cref="RecordJson"/>), CSV (<see cref="CsvRecords"/>), Parquet
/// (<c>ParquetRecords</c>, left out of the Native AOT build), .npy (<see cref="NpyRecords"/>) or .fvecs (<see cref="FvecsRecords"/>), streamed in atomic batches, so memory stays bounded by
/// one batch. With <c>--embed</c>, each record's vector is computed from the text at a payload path
/// (<see cref="TextEmbedder"/>). With <c>--from-qdrant URL</c> instead of a file, a collection comes from a Qdrant server
/// (<see cref="QdrantImport"/>).
/// </summary>
/// <remarks>
/// Each batch is validated whole before it is written: a bad line stops the import with its line number, every
/// earlier batch stays committed, and the message gives the <c>--from-line</c> that resumes after them. Progress (lines,
/// rate) goes to stderr once a second when stderr is a terminal, and as one summary line at the end.
/// </remarks>
internal static class ImportCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var lockTimeout = CommonOptions.LockTimeout();
        var name = CommonOptions.Collection();
        var file = new Argument<string?>("file") { Description = "A JSON Lines, CSV or Parquet file (- for JSON Lines or CSV on standard input), or an .npy or .fvecs file of vectors (ids 0, 1, 2, ... or --ids). Not with --from-qdrant.", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string?>("--format") { Description = "jsonl, csv, parquet, npy or fvecs (default: from the file name; standard input is jsonl)." };
        var ids = new Option<string?>("--ids") { Description = "With an .npy file: the record ids, one per row, as a 1-D integer .npy or a text file with one id per line (default: row numbers 0, 1, 2, ...)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Records per atomic batch.", DefaultValueFactory = _ => 1000 };
        var fromLine = new Option<long>("--from-line") { Description = "Skip the lines before this one (1-based): resume an interrupted import.", DefaultValueFactory = _ => 1 };
        var embed = new Option<string?>("--embed") { Description = "Compute each record's vector from the text at this payload path (e.g. body or doc.title) with the built-in all-MiniLM-L6-v2 model (384-d)." };
        var embedVector = new Option<string?>("--embed-vector") { Description = "With --embed: the named vector to fill (default: the collection's only vector)." };
        var fromQdrant = new Option<string?>("--from-qdrant") { Description = "Copy a collection from the Qdrant server at this gRPC address (http://host:6334) instead of a file: creates the collection with the matching schema, then copies points with vectors and payloads, resumable." };
        QdrantOptions qdrant = QdrantOptions.Create("With --from-qdrant: the collection's name in Qdrant (default: the same name).");
        var command = new Command("import", "Upsert records from a JSON Lines or fvecs file into a collection in atomic batches, or copy a collection from a Qdrant server (--from-qdrant).")
        {
            path, lockTimeout, name, file, format, ids, batchSize, fromLine, embed, embedVector, fromQdrant, qdrant.ApiKey, qdrant.Collection, qdrant.Resume, qdrant.Checkpoint,
        };
        command.SetAction(result => CliErrors.Run(() =>
        {
            int size = result.GetValue(batchSize);
            if (result.GetValue(fromQdrant) is { } url)
            {
                if (result.GetValue(file) is not null || result.GetValue(format) is not null || result.GetValue(embed) is not null || result.GetResult(fromLine) is { Implicit: false })
                {
                    throw new CliUsageException("--from-qdrant reads from Qdrant: a file, --format, --from-line and --embed do not apply.");
                }
                if (size is < 1 or > 10_000)
                {
                    throw new CliUsageException($"--batch-size must be between 1 and 10,000, got {size}.");
                }
                string local = result.GetRequiredValue(name);
                string remote = result.GetValue(qdrant.Collection) ?? local;
                return QdrantImport.Run(new QdrantImport.Settings(result.GetRequiredValue(path), local, url, result.GetValue(qdrant.ApiKey), remote, size,
                    result.GetValue(qdrant.Resume), result.GetValue(qdrant.Checkpoint) ?? TransferCheckpoint.DefaultPath("from-qdrant", remote, local),
                    result.GetValue(lockTimeout)));
            }
            qdrant.RefuseWithout(result, "--from-qdrant");
            long first = result.GetValue(fromLine);
            if (size < 1)
            {
                throw new CliUsageException("--batch-size must be at least 1.");
            }
            if (first < 1)
            {
                throw new CliUsageException("--from-line must be at least 1.");
            }
            string source = result.GetValue(file) ?? throw new CliUsageException("import needs a file (or - for standard input), or --from-qdrant URL.");
            if (source != "-" && !File.Exists(source))
            {
                throw new CliUsageException($"'{source}' does not exist.");
            }
            string kind = (result.GetValue(format) ?? (source == "-" ? "jsonl" : FileFormats.FromName(source, "jsonl"))).ToLowerInvariant();
            FileFormats.Check(kind, "--format");
            if (source == "-" && kind is not ("jsonl" or "csv"))
            {
                throw new CliUsageException($"{kind} is read from a file, not standard input.");
            }
            string? idsFile = result.GetValue(ids);
            if (idsFile is not null && (kind != "npy" || !File.Exists(idsFile)))
            {
                throw new CliUsageException(kind != "npy" ? "--ids goes with an .npy file." : $"--ids: '{idsFile}' does not exist.");
            }
            string? embedPath = result.GetValue(embed);
            string? embedName = result.GetValue(embedVector);
            if (embedName is not null && embedPath is null)
            {
                throw new CliUsageException("--embed-vector needs --embed.");
            }
            if (embedPath is not null && kind is ("fvecs" or "npy"))
            {
                throw new CliUsageException($"--embed reads text from payloads; an {kind} file holds vectors only.");
            }
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: false, result.GetValue(lockTimeout));
            Collection collection = db.GetCollection(result.GetRequiredValue(name));
            string? embedInto = embedPath is null ? null : EmbeddedVectorName(collection, embedName);
            using TextEmbedder? embedder = embedPath is null ? null : TextEmbedder.Load("--embed");
            var texts = new List<string>(embedder is null ? 0 : size);
            IEnumerable<(long Line, Record? Record)> records = kind switch
            {
                "fvecs" => FvecsRecords.Read(source),
                "csv" => CsvRecords.Read(source),
                "npy" => NpyRecords.Read(source, idsFile),
#if VECTLITE_PARQUET
                "parquet" => ParquetRecords.Read(source),
#endif
                _ => JsonLinesRecords(source),
            };

            var watch = Stopwatch.StartNew();
            var batch = new List<Record>(size);
            long lineNumber = 0, imported = 0, committedThrough = first - 1, batchStart = first;
            TimeSpan lastProgress = TimeSpan.Zero;
            bool progress = !Console.IsErrorRedirected;
            void Commit()
            {
                if (embedder is not null)
                {
                    float[][] vectors = embedder.Embed(texts);
                    for (int i = 0; i < batch.Count; i++)
                    {
                        batch[i].Vectors[embedInto!] = vectors[i];
                    }
                    texts.Clear();
                }
                try
                {
                    collection.UpsertMany(batch);
                }
                catch (VectLiteException ex)
                {
                    throw new CliUsageException($"lines {batchStart}-{lineNumber}: {ex.Message} Nothing of this batch was written; lines up to {committedThrough} are imported: fix the line and resume with --from-line {committedThrough + 1}.");
                }
                imported += batch.Count;
                committedThrough = lineNumber;
                batch.Clear();
                batchStart = lineNumber + 1;
                if (progress && watch.Elapsed - lastProgress >= TimeSpan.FromSeconds(1))
                {
                    lastProgress = watch.Elapsed;
                    Console.Error.Write($"\r{imported:N0} records, {imported / watch.Elapsed.TotalSeconds:N0}/s   ");
                }
            }
            using IEnumerator<(long Line, Record? Record)> reading = records.GetEnumerator();
            while (true)
            {
                try
                {
                    if (!reading.MoveNext())
                    {
                        break;
                    }
                }
                catch (CliUsageException ex)
                {
                    throw new CliUsageException($"{ex.Message} Lines up to {committedThrough} are imported: fix it and resume with --from-line {committedThrough + 1}.");
                }
                (long line, Record? record) = reading.Current;
                lineNumber = line;
                if (lineNumber < first || record is null)
                {
                    continue;
                }
                if (embedPath is not null)
                {
                    if (record.Vector is not null || record.Vectors.Count > 0)
                    {
                        throw new CliUsageException($"line {lineNumber}: the record has a vector and --embed would replace it; drop one. Lines up to {committedThrough} are imported: resume with --from-line {committedThrough + 1}.");
                    }
                    texts.Add(TextEmbedder.TextAt(record, embedPath, lineNumber));
                }
                batch.Add(record);
                if (batch.Count == size)
                {
                    Commit();
                }
            }
            if (batch.Count > 0)
            {
                Commit();
            }
            if (progress)
            {
                Console.Error.Write("\r");
            }
            Console.Out.WriteLine($"imported {imported:N0} records into {collection.Name} in {Format.Millis(watch.Elapsed)} ({lineNumber:N0} lines read)");
            return 0;
        }));
        return command;
    }

    /// <summary>The named vector <c>--embed</c> fills, checked before the model loads: it exists and is 384-d.</summary>
    private static string EmbeddedVectorName(Collection collection, string? vectorName)
    {
        CollectionSchema schema = collection.Schema;
        VectorSpec? spec = vectorName is null
            ? (schema.Vectors.Count == 1 ? schema.Vectors[0] : null)
            : schema.Vectors.FirstOrDefault(v => v.Name == vectorName);
        if (spec is null)
        {
            throw new CliUsageException(vectorName is null
                ? $"--embed: collection '{collection.Name}' has {schema.Vectors.Count} named vectors; choose one with --embed-vector."
                : $"--embed-vector: collection '{collection.Name}' has no vector named '{vectorName}'.");
        }
        if (spec.Dimension != TextEmbedder.Dimensions)
        {
            throw new CliUsageException($"--embed makes {TextEmbedder.Dimensions}-d vectors (all-MiniLM-L6-v2) but the collection's vector '{spec.Name}' has {spec.Dimension} dimensions; create one with --dimension {TextEmbedder.Dimensions}.");
        }
        return spec.Name;
    }

    /// <summary>The records of a JSON Lines file (or standard input) with their line numbers; null for a blank line.</summary>
    /// <exception cref="CliUsageException">A line is not a record; the message names it.</exception>
    private static IEnumerable<(long Line, Record? Record)> JsonLinesRecords(string source)
    {
        using TextReader reader = source == "-" ? Console.In : new StreamReader(source);
        long lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            yield return (lineNumber, line.Length == 0 ? null : RecordJson.Parse(line, lineNumber));
        }
    }
}
