using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite demo</c>: the guided tour. Creates a database, ingests synthetic product embeddings with a progress
/// bar, searches with and without a filter, reopens it (from the log, then from a checkpoint) and searches again,
/// printing timings and what it found. Needs no data set: vectors are generated around category centroids.
/// </summary>
internal static class DemoCommand
{
    private static readonly string[] Categories = ["books", "music", "garden", "toys", "kitchen", "sports", "games", "tools", "shoes", "office"];

    public static Command Create()
    {
        var path = new Option<string?>("--path") { Description = "Where to create the demo database (default: a fresh temporary directory, deleted afterwards)." };
        var count = new Option<int>("--count") { Description = "How many records to ingest.", DefaultValueFactory = _ => 20_000 };
        var dimension = new Option<int>("--dim") { Description = "Vector dimension.", DefaultValueFactory = _ => 128 };
        var command = new Command("demo", "Create a database, ingest vectors, search with and without a filter, reopen and search again.") { path, count, dimension };
        command.SetAction(result => CliErrors.Run(() => Run(result.GetValue(path), result.GetValue(count), result.GetValue(dimension))));
        return command;
    }

    private static int Run(string? path, int count, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1, "--count");
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 2, "--dim");
        bool temporary = path is null;
        path ??= Path.Combine(Path.GetTempPath(), "vectlite-demo-" + Guid.NewGuid().ToString("N")[..8]);
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new ArgumentException($"'{path}' exists and is not empty; pass an empty or new directory to --path.");
        }

        try
        {
            var data = new SyntheticProducts(dimension, seed: 2026);
            float[] query = data.QueryNear("books");
            const string filterJson = """{"category": "books", "price": {"$lt": 20}, "in_stock": true}""";
            Filter filter = Filter.Parse(filterJson);

            AnsiConsole.MarkupLineInterpolated($"[bold]VectLite demo[/]: {count:N0} products, {dimension}-d cosine vectors");
            AnsiConsole.MarkupLineInterpolated($"Database at [blue]{path}[/]");
            AnsiConsole.WriteLine();

            IReadOnlyList<SearchHit> plain, filtered;
            long logBeforeClose;
            var watch = Stopwatch.StartNew();
            using (Database db = Database.Open(path, new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
            {
                Collection products = db.CreateCollection("products", CollectionSchema.SingleVector(dimension, Metric.Cosine));
                products.CreatePayloadIndex("category", PayloadIndexKind.Keyword);
                products.CreatePayloadIndex("price", PayloadIndexKind.Numeric);
                AnsiConsole.MarkupLineInterpolated($"1. Created collection [bold]products[/] ({Format.Millis(watch.Elapsed)}), payload indexes on");
                AnsiConsole.MarkupLine("   [italic]category[/] (keyword) and [italic]price[/] (numeric)");

                watch.Restart();
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        ProgressTask task = ctx.AddTask("2. Ingesting", maxValue: count);
                        const int batch = 1000;
                        for (int start = 0; start < count; start += batch)
                        {
                            int n = Math.Min(batch, count - start);
                            products.UpsertMany(Enumerable.Range(start, n).Select(data.Product));
                            task.Increment(n);
                        }
                        db.Flush();
                    });
                TimeSpan ingest = watch.Elapsed;
                AnsiConsole.MarkupLineInterpolated($"   Ingested {count:N0} records in {Format.Millis(ingest)} ({count / ingest.TotalSeconds:N0} records/s)");
                AnsiConsole.MarkupLine("   (batches of 1,000, sync mode OnFlush and one Flush; the HNSW index is built as they arrive)");
                AnsiConsole.WriteLine();

                plain = TimedSearch(products, query, null, "3. Nearest 5 to a 'books'-like query, no filter (HNSW index)");
                IReadOnlyList<SearchHit> exact = TimedSearch(products, query, null, null, exact: true);
                AnsiConsole.MarkupLineInterpolated($"   An exact scan of all {count:N0} vectors: {Format.Millis(LastSearchTime)} per search,");
                AnsiConsole.MarkupLineInterpolated($"   and it finds {exact.Count(e => plain.Any(p => p.Id == e.Id))} of the same 5");
                AnsiConsole.WriteLine();
                AnsiConsole.MarkupLineInterpolated($"4. Same query, filtered: {filterJson}");
                filtered = TimedSearch(products, query, filter, "   Planner: exact scan of the payload indexes' candidates, or a filtered graph walk");
                logBeforeClose = products.GetStats().WalBytes;
                watch.Restart();
            }
            TimeSpan close = watch.Elapsed;

            watch.Restart();
            using (Database db = Database.Open(path))
            {
                Collection products = db.GetCollection("products");
                TimeSpan reopen = watch.Elapsed;
                CollectionStats stats = products.GetStats();
                AnsiConsole.MarkupLineInterpolated($"5. Closed in {Format.Millis(close)}: the log held {Format.Bytes(logBeforeClose)}, so closing wrote a checkpoint");
                AnsiConsole.MarkupLineInterpolated($"   Reopened in {Format.Millis(reopen)}: {stats.RecordCount:N0} records, {stats.WalBatchesSinceCheckpoint:N0} log batches to replay,");
                AnsiConsole.MarkupLineInterpolated($"   HNSW graph {stats.VectorIndexes[0].Origin} from its file, no rebuild");
                Compare(plain, TimedSearch(products, query, null, null), "unfiltered");
                Compare(filtered, TimedSearch(products, query, filter, null), "filtered");

                for (int id = 0; id < 1000; id++)
                {
                    products.UpdatePayload((ulong)id, new System.Text.Json.Nodes.JsonObject { ["reviewed"] = true });
                }
                long dead = products.GetStats().DeletedRows;
                watch.Restart();
                products.Compact();
                CollectionStats compacted = products.GetStats();
                AnsiConsole.MarkupLineInterpolated($"6. 1,000 payload updates left {dead:N0} replaced rows; Compact() took {Format.Millis(watch.Elapsed)}:");
                AnsiConsole.MarkupLineInterpolated($"   {compacted.DeletedRows:N0} left, {Format.Bytes(compacted.BytesOnDisk)} on disk, log emptied");
                AnsiConsole.MarkupLine("   (automatic checkpoints do the same past 64 MiB of log or half the rows dead)");
            }

            watch.Restart();
            using (Database db = Database.Open(path, new DatabaseOptions { ReadOnly = true }))
            {
                Collection products = db.GetCollection("products");
                TimeSpan reopen = watch.Elapsed;
                AnsiConsole.MarkupLineInterpolated($"7. Reopened read-only from the checkpoint in {Format.Millis(reopen)}:");
                AnsiConsole.MarkupLineInterpolated($"   HNSW graph {products.GetStats().VectorIndexes[0].Origin} from its file, no rebuild");
                Compare(plain, TimedSearch(products, query, null, null), "unfiltered");
                Compare(filtered, TimedSearch(products, query, filter, null), "filtered");
                AnsiConsole.MarkupLineInterpolated($"   {products.Count(Filter.Eq("category", "books")):N0} books in total, {products.Count(filter):N0} in stock under 20");
            }
            return 0;
        }
        finally
        {
            if (temporary && Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
    }

    /// <summary>The per-search time of the last <see cref="TimedSearch"/>.</summary>
    private static TimeSpan LastSearchTime { get; set; }

    private static IReadOnlyList<SearchHit> TimedSearch(Collection collection, float[] query, Filter? filter, string? title, bool exact = false)
    {
        var options = new SearchOptions { TopK = 5, Filter = filter, Exact = exact };
        collection.Search(query, options); // warm-up: the first call pays for JIT compilation
        var watch = Stopwatch.StartNew();
        const int repeats = 20;
        IReadOnlyList<SearchHit> hits = [];
        for (int i = 0; i < repeats; i++)
        {
            hits = collection.Search(query, options);
        }
        TimeSpan each = watch.Elapsed / repeats;
        LastSearchTime = each;
        if (title is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"{title}: {Format.Millis(each)} per search");
            var table = new Table().AddColumns("id", "score", "title", "category", "price", "in stock");
            foreach (SearchHit hit in hits)
            {
                table.AddRow(
                    hit.Id.ToString(),
                    hit.Score.ToString("0.0000", CultureInfo.InvariantCulture),
                    Markup.Escape((string?)hit.Payload?["title"] ?? ""),
                    Markup.Escape((string?)hit.Payload?["category"] ?? ""),
                    ((double?)hit.Payload?["price"])?.ToString("0.00", CultureInfo.InvariantCulture) ?? "",
                    ((bool?)hit.Payload?["in_stock"])?.ToString() ?? "");
            }
            AnsiConsole.Write(table);
            AnsiConsole.WriteLine();
        }
        return hits;
    }

    private static void Compare(IReadOnlyList<SearchHit> before, IReadOnlyList<SearchHit> after, string what)
    {
        bool same = before.Select(h => (h.Id, h.Score)).SequenceEqual(after.Select(h => (h.Id, h.Score)));
        if (!same)
        {
            throw new InvalidOperationException($"The {what} search gave different results after reopening: a bug, please report it.");
        }
        AnsiConsole.MarkupLineInterpolated($"   {what} search: [green]same {after.Count} hits, same scores[/]");
    }

    /// <summary>Product-like records: each category has a random centroid; a product's vector is its centroid plus noise.</summary>
    private sealed class SyntheticProducts
    {
        private readonly float[][] _centroids;
        private readonly int _dimension;
        private readonly int _seed;

        public SyntheticProducts(int dimension, int seed)
        {
            _dimension = dimension;
            _seed = seed;
            var random = new Random(seed);
            _centroids = Categories.Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        }

        public Record Product(int i)
        {
            var random = new Random(unchecked((_seed * 1_000_003) + i)); // deterministic (HashCode.Combine is randomised per process)
            int category = i % Categories.Length;
            return new Record(i, Noisy(_centroids[category], random, 0.9), new JsonObject
            {
                ["title"] = $"{Categories[category]} item #{i}",
                ["category"] = Categories[category],
                ["price"] = Math.Round(1 + random.NextDouble() * 99, 2),
                ["in_stock"] = random.Next(4) != 0,
            });
        }

        public float[] QueryNear(string category) =>
            Noisy(_centroids[Array.IndexOf(Categories, category)], new Random(_seed + 1), 0.5);

        private float[] Noisy(float[] centroid, Random random, double noise)
        {
            var v = new float[_dimension];
            for (int d = 0; d < _dimension; d++)
            {
                v[d] = centroid[d] + (float)((random.NextDouble() * 2 - 1) * noise);
            }
            return v;
        }
    }
}
