using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite demo-text</c>: keyword, semantic and hybrid search side by side on real text. Loads package
/// descriptions (or the user's JSON Lines), embeds them with the built-in all-MiniLM-L6-v2 model, indexes them for
/// BM25, and answers a few questions three ways: the BM25 text index alone, the dense vectors alone, and both fused by
/// reciprocal rank fusion in one <see cref="HybridQuery"/>.
/// </summary>
internal static class TextDemoCommand
{
    private static readonly string[] DefaultQueries =
    [
        "play chess against the computer",
        "shrink files to save disk space",
        "check the spelling of a document",
        "read and write JSON in C",
    ];

    public static Command Create()
    {
        var path = new Option<string?>("--path") { Description = "Where to create the demo database (default: a fresh temporary directory, deleted afterwards)." };
        var count = new Option<int>("--count") { Description = "How many texts to load (a seeded sample of larger sources).", DefaultValueFactory = _ => 5000 };
        var corpus = new Option<string?>("--corpus") { Description = "JSON Lines of {\"id\": ..., \"text\": \"...\", \"title\": \"...\" (optional)} (default: this machine's Debian package descriptions)." };
        var queries = new Option<string[]>("--query", "-q") { Description = "A question to ask (repeatable; default: four about software)." };
        var top = new Option<int>("--top-k", "-k") { Description = "Hits per column.", DefaultValueFactory = _ => 3 };
        var command = new Command("demo-text", "Keyword (BM25), semantic (MiniLM embeddings) and hybrid (fused) search side by side on real text.") { path, count, corpus, queries, top };
        command.SetAction(result => CliErrors.Run(() => Run(result.GetValue(path), result.GetValue(count), result.GetValue(corpus),
            result.GetValue(queries) is { Length: > 0 } asked ? asked : DefaultQueries, result.GetValue(top))));
        return command;
    }

    private static int Run(string? path, int count, string? corpusFile, string[] queries, int top)
    {
        if (count < 1)
            throw new CliUsageException("--count must be at least 1.");
        if (top is < 1 or > 100)
            throw new CliUsageException("--top-k must be between 1 and 100.");
        bool temporary = path is null;
        path ??= Path.Combine(Path.GetTempPath(), "vectlite-demo-text-" + Guid.NewGuid().ToString("N")[..8]);
        if (Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new CliUsageException($"'{path}' exists and is not empty; pass an empty or new directory to --path.");

        using TextEmbedder embedder = TextEmbedder.Load("demo-text");
        (List<DemoText> texts, string source) = DemoCorpus.Load(corpusFile, count);
        if (texts.Count == 0)
            throw new CliUsageException($"{source} holds no texts.");
        try
        {
            AnsiConsole.MarkupLineInterpolated($"[bold]VectLite hybrid search demo[/]: {texts.Count:N0} texts from {source}");
            AnsiConsole.MarkupLineInterpolated($"Database at [blue]{path}[/]");
            AnsiConsole.WriteLine();
            using Database database = Database.Open(path, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
            Collection collection = database.CreateCollection("texts", CollectionSchema.SingleVector(TextEmbedder.Dimensions, Metric.Cosine));
            collection.CreateTextIndex("text", new TextIndexOptions { Fields = ["text"] });

            var watch = Stopwatch.StartNew();
            TimeSpan embedding = TimeSpan.Zero;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    ProgressTask task = ctx.AddTask("1. Embedding and indexing", maxValue: texts.Count);
                    foreach (DemoText[] batch in texts.Chunk(256))
                    {
                        var embed = Stopwatch.StartNew();
                        float[][] vectors = embedder.Embed([.. batch.Select(t => t.Text)]);
                        embedding += embed.Elapsed;
                        collection.UpsertMany(batch.Select((t, i) => new Record(t.Id, vectors[i], new JsonObject { ["title"] = t.Title, ["text"] = t.Text })));
                        task.Increment(batch.Length);
                    }
                });
            database.Flush();
            AnsiConsole.MarkupLineInterpolated($"   {texts.Count:N0} texts in {Format.Millis(watch.Elapsed)}: the model took {Format.Millis(embedding)}, the database (HNSW, BM25 index, log) the rest");
            AnsiConsole.MarkupLine("   Each text is embedded by all-MiniLM-L6-v2 in this process (no service) and indexed for BM25 (English analyzer)");
            AnsiConsole.WriteLine();

            int step = 2;
            foreach (string query in queries)
            {
                float[] vector = embedder.Embed([query])[0];
                var timer = Stopwatch.StartNew();
                IReadOnlyList<SearchHit> keyword = collection.SearchText("text", query, new TextSearchOptions { TopK = top });
                TimeSpan keywordTime = timer.Elapsed;
                timer.Restart();
                IReadOnlyList<SearchHit> semantic = collection.Search(vector, new SearchOptions { TopK = top });
                TimeSpan semanticTime = timer.Elapsed;
                timer.Restart();
                QueryResult hybrid = collection.Query(new HybridQuery
                {
                    Prefetches = [Prefetch.Text("text", query), new Prefetch(vector)],
                    Fusion = FusionMethod.ReciprocalRank(),
                    TopK = top,
                });
                TimeSpan hybridTime = timer.Elapsed;

                AnsiConsole.MarkupLineInterpolated($"{step++}. [bold]\"{query}\"[/]");
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumn($"keyword: BM25 ({Format.Millis(keywordTime)})")
                    .AddColumn($"semantic: MiniLM + HNSW ({Format.Millis(semanticTime)})")
                    .AddColumn($"hybrid: both, RRF ({Format.Millis(hybridTime)})");
                for (int i = 0; i < top; i++)
                    table.AddRow(Cell(keyword, i), Cell(semantic, i), Cell(hybrid.Hits, i));
                AnsiConsole.Write(table);
                AnsiConsole.WriteLine();
            }
            AnsiConsole.MarkupLine("Keyword search finds the words; semantic search finds the meaning; the fused query ranks what both agree on first.");
            return 0;
        }
        finally
        {
            if (temporary && Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
    }

    private static Markup Cell(IReadOnlyList<SearchHit> hits, int i)
    {
        if (i >= hits.Count)
            return new Markup("[grey](none)[/]");
        SearchHit hit = hits[i];
        string title = hit.Payload?["title"]?.GetValue<string>() ?? "";
        if (title.Length > 42)
            title = title[..41] + "…";
        return new Markup($"[bold]{Markup.Escape(hit.Id.ToString())}[/]\n[grey]{Markup.Escape(title)}[/]");
    }
}
