using System.CommandLine;
using System.Diagnostics;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite import DB COLLECTION FILE|- [--batch-size 1000] [--from-line N]</c>: upserts records from JSON Lines
/// (<see cref="RecordJson"/>), streamed in atomic batches, so memory stays bounded by one batch.
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
        var name = CommonOptions.Collection();
        var file = new Argument<string>("file") { Description = "A JSON Lines file, or - for standard input." };
        var batchSize = new Option<int>("--batch-size") { Description = "Records per atomic batch.", DefaultValueFactory = _ => 1000 };
        var fromLine = new Option<long>("--from-line") { Description = "Skip the lines before this one (1-based): resume an interrupted import.", DefaultValueFactory = _ => 1 };
        var command = new Command("import", "Upsert records from a JSON Lines file into a collection, in atomic batches.") { path, name, file, batchSize, fromLine };
        command.SetAction(result => CliErrors.Run(() =>
        {
            int size = result.GetValue(batchSize);
            long first = result.GetValue(fromLine);
            if (size < 1)
            {
                throw new CliUsageException("--batch-size must be at least 1.");
            }
            if (first < 1)
            {
                throw new CliUsageException("--from-line must be at least 1.");
            }
            string source = result.GetRequiredValue(file);
            if (source != "-" && !File.Exists(source))
            {
                throw new CliUsageException($"'{source}' does not exist.");
            }
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: false);
            Collection collection = db.GetCollection(result.GetRequiredValue(name));
            using TextReader reader = source == "-" ? Console.In : new StreamReader(source);

            var watch = Stopwatch.StartNew();
            var batch = new List<Record>(size);
            long lineNumber = 0, imported = 0, committedThrough = first - 1, batchStart = first;
            TimeSpan lastProgress = TimeSpan.Zero;
            bool progress = !Console.IsErrorRedirected;
            void Commit()
            {
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
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (lineNumber < first || line.Length == 0)
                {
                    continue;
                }
                try
                {
                    batch.Add(RecordJson.Parse(line, lineNumber));
                }
                catch (CliUsageException ex)
                {
                    throw new CliUsageException($"{ex.Message}. Lines up to {committedThrough} are imported: fix it and resume with --from-line {committedThrough + 1}.");
                }
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
}
