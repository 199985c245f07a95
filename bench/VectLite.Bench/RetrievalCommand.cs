using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace VectLite.Bench;

/// <summary>
/// <c>retrieval [--corpus FILE] [--packages N] [--queries 2000] [--rounds 3] [--bm25-only] [--cache DIR] [--out FILE]</c>: hybrid
/// retrieval quality and speed on the Debian archive's English package descriptions. Each sampled package's synopsis
/// is a query; its relevant documents are the long descriptions of that package and of every package with the
/// identical long text. Reports MRR@10, recall@10 and recall@100 of each retriever (VectLite BM25, VectLite dense
/// MiniLM, their fusions; Lucene.Net BM25 as the peer), build times, index sizes, and single-thread queries/s per
/// round (median, min-max).
/// </summary>
internal static class RetrievalCommand
{
    private const int Depth = 100;

    /// <summary>Validation queries for the tuned reciprocal rank fusion's k and BM25 weight (disjoint from the evaluated ones).</summary>
    private const int ValidationQueries = 500;

    /// <summary>The BM25 weights the tuned reciprocal rank fusion chooses from (the dense retriever's weight is 1).</summary>
    private static readonly float[] RrfTextWeights = [1f, 1.5f, 2f, 3f, 4f, 6f];

    /// <summary>The rank constants k the tuned reciprocal rank fusion chooses from (60 is the usual default; smaller is more top-heavy).</summary>
    private static readonly int[] RrfKs = [5, 10, 20, 40, 60];

    /// <summary>One weighted reciprocal rank fusion of BM25 and dense on the dense collection (which holds the text index too).</summary>
    private readonly record struct WeightedRrf(Collection Collection, string Text, float[] Vector, float TextWeight, int K)
    {
        public int[] Search() => Ids(Collection.Query(new HybridQuery
        {
            Prefetches = [Prefetch.Text("body", Text, limit: Depth, weight: TextWeight), new Prefetch(Vector) { Limit = Depth, Ef = 2 * Depth }],
            Fusion = FusionMethod.ReciprocalRank(K),
            TopK = Depth,
            IncludePayload = false,
        }).Hits);
    }

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var corpus = new Option<string?>("--corpus") { Description = "The Translation-en index (default: the main archive's, from /var/lib/apt/lists)." };
        var packages = new Option<int>("--packages") { Description = "Use a seeded sample of this many packages as the corpus (0: all).", DefaultValueFactory = _ => 0 };
        var queries = new Option<int>("--queries") { Description = "Queries (synopses of a seeded sample of packages).", DefaultValueFactory = _ => 2000 };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds of every retriever's queries.", DefaultValueFactory = _ => 3 };
        var cache = new Option<string>("--cache") { Description = "Where MiniLM embeddings are kept between runs.", DefaultValueFactory = _ => Path.Combine(BenchPaths.RepositoryRoot, "bench", ".cache") };
        var bm25Only = new Option<bool>("--bm25-only") { Description = "BM25 against Lucene.Net only: no embeddings (the whole corpus in minutes instead of hours)." };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report.", DefaultValueFactory = _ => BenchPaths.DefaultResult("retrieval-debian.md") };
        var command = new Command("retrieval", "BM25, dense (MiniLM) and fused retrieval on Debian's package descriptions, with Lucene.Net BM25 as the peer.")
        {
            corpus, packages, queries, rounds, bm25Only, cache, output,
        };
        command.SetAction(result =>
        {
            Run(result.GetValue(corpus), result.GetValue(packages), result.GetValue(queries), result.GetValue(rounds),
                result.GetValue(bm25Only), result.GetRequiredValue(cache), result.GetRequiredValue(output));
            return 0;
        });
        return command;
    }

    /// <summary>One retriever's answers and timings.</summary>
    private sealed class Retriever(string name, Func<int, int[]> search)
    {
        public string Name { get; } = name;

        public Func<int, int[]> Search { get; } = search;

        public List<double> QueriesPerSecond { get; } = [];

        public RankingMetrics Metrics { get; } = new();

        public int[][] Answers { get; set; } = [];

        public string Build { get; init; } = "";

        public string Size { get; init; } = "";
    }

    private static void Run(string? corpusPath, int packageCount, int queryCount, int rounds, bool bm25Only, string cacheFolder, string output)
    {
        var started = Stopwatch.StartNew();
        MachineInfo machine = MachineInfo.Collect();
        string load = MachineInfo.LoadAverage();
        corpusPath ??= DebianDescriptions.FindIndex();
        List<DebianPackage> all = DebianDescriptions.Load(corpusPath);
        var random = new Random(20261130);
        List<DebianPackage> docs = packageCount > 0 && packageCount < all.Count
            ? [.. all.OrderBy(_ => random.Next()).Take(packageCount).OrderBy(p => p.Package, StringComparer.Ordinal)]
            : all;
        string[] bodies = [.. docs.Select(p => p.Body)];
        Dictionary<string, HashSet<int>> byBody = [];
        for (int i = 0; i < bodies.Length; i++)
        {
            if (!byBody.TryGetValue(bodies[i], out HashSet<int>? same))
                byBody[bodies[i]] = same = [];
            same.Add(i);
        }
        int[] queryDocs = [.. Enumerable.Range(0, docs.Count).OrderBy(_ => random.Next()).Take(Math.Min(queryCount, docs.Count))];
        // Query syntax characters (quotes, a leading + or -) removed: every query is a plain OR of its words on both sides
        // (the tokenizers treat them as separators, so the analysed terms do not change).
        string[] queryTexts = [.. queryDocs.Select(i => PlainWords(docs[i].Synopsis))];
        HashSet<int>[] relevant = [.. queryDocs.Select(i => byBody[bodies[i]])];
        Console.Error.WriteLine($"retrieval: {docs.Count:N0} documents ({byBody.Count:N0} distinct texts), {queryTexts.Length:N0} queries, load {load}");

        // Dense vectors: MiniLM over the documents and the queries (cached between runs; the model's time is reported).
        TimeSpan docEmbedTime = TimeSpan.Zero, queryEmbedTime = TimeSpan.Zero;
        float[][] docVectors = bm25Only ? [] : EmbeddingCache.Get(bodies, cacheFolder, "documents", out docEmbedTime);
        float[][] queryVectors = bm25Only ? [] : EmbeddingCache.Get(queryTexts, cacheFolder, "queries", out queryEmbedTime);

        using TempDirectory folder = TempDirectory.Create("retrieval");
        var retrievers = new List<Retriever>();

        // Lucene.Net BM25: the peer.
        using LuceneBm25 lucene = LuceneBm25.Build(bodies, Path.Combine(folder.Path, "lucene"));
        retrievers.Add(new Retriever("Lucene.Net 4.8 BM25 (peer)", q => lucene.Search(queryTexts[q], Depth))
        {
            Build = Format.Seconds(lucene.BuildTime),
            Size = Format.Bytes(lucene.IndexBytes),
        });

        string dbPath = Path.Combine(folder.Path, "vectlite");
        using Database database = Database.Open(dbPath, new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        var watch = Stopwatch.StartNew();
        // BM25 on VectLite: a metadata-only collection with the text index declared first, so the build is every
        // record's upsert (analysis, postings, the log) plus the checkpoint that writes the index file.
        Collection text = database.CreateCollection("text", CollectionSchema.MetadataOnly());
        text.CreateTextIndex("body", new TextIndexOptions { Fields = ["body"] });
        watch.Restart();
        foreach (int[] chunk in Enumerable.Range(0, docs.Count).Chunk(1000))
        {
            text.UpsertMany(chunk.Select(i => new Record((ulong)i) { Payload = new() { ["body"] = bodies[i] } }));
        }
        text.Compact();
        TimeSpan textBuild = watch.Elapsed;
        long textBytes = Directory.EnumerateFiles(dbPath, "*.vltext", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var textOptions = new TextSearchOptions { TopK = Depth, IncludePayload = false };
        retrievers.Insert(0, new Retriever("VectLite BM25", q => Ids(text.SearchText("body", queryTexts[q], textOptions)))
        {
            Build = Format.Seconds(textBuild) + " (upserts + checkpoint)",
            Size = Format.Bytes(textBytes),
        });

        string? rrfWeightNote = null;
        if (!bm25Only)
        {
            // VectLite: one collection with the dense vector (HNSW, cosine) and the body as payload.
            Collection collection = database.CreateCollection("packages", CollectionSchema.SingleVector(docVectors[0].Length, Metric.Cosine));
            watch.Restart();
            foreach (int[] chunk in Enumerable.Range(0, docs.Count).Chunk(1000))
            {
                collection.UpsertMany(chunk.Select(i => new Record((ulong)i, docVectors[i], new() { ["body"] = bodies[i] })));
            }
            database.Flush();
            TimeSpan denseBuild = watch.Elapsed;
            var denseOptions = new SearchOptions { TopK = Depth, Ef = 2 * Depth, IncludePayload = false };
            retrievers.Add(new Retriever("VectLite dense (MiniLM, HNSW)", q => Ids(collection.Search(queryVectors[q], denseOptions)))
            {
                Build = Format.Seconds(denseBuild) + " (+ " + (docEmbedTime == TimeSpan.Zero ? "cached embeddings" : Format.Seconds(docEmbedTime) + " embedding") + ")",
                Size = "",
            });

            // Fusion: one HybridQuery on the dense collection (which gets the same text index, untimed) with both retrievers.
            collection.CreateTextIndex("body", new TextIndexOptions { Fields = ["body"] });
            foreach ((string label, FusionMethod fusion) in new[] { ("reciprocal rank, k 60", FusionMethod.ReciprocalRank()), ("distribution-based score", FusionMethod.DistributionBased()) })
            {
                retrievers.Add(new Retriever($"VectLite hybrid: BM25 + dense, {label} fusion", q => Ids(collection.Query(new HybridQuery
                {
                    Prefetches = [Prefetch.Text("body", queryTexts[q], limit: Depth), new Prefetch(queryVectors[q]) { Limit = Depth, Ef = 2 * Depth }],
                    Fusion = fusion,
                    TopK = Depth,
                    IncludePayload = false,
                }).Hits))
                {
                    Build = "the two above",
                    Size = "",
                });
            }

            // Reciprocal rank fusion weighs its retrievers equally and flattens their top ranks (k 60) unless told otherwise;
            // when one retriever is much stronger than the other, a weight and a smaller k help. Both are chosen jointly on
            // validation queries (synopses of packages disjoint from the evaluated ones), never on the evaluated queries,
            // and reported with the grid they were chosen from and each retriever alone on the same validation queries.
            var validationRandom = new Random(20261201);
            var evaluated = new HashSet<int>(queryDocs);
            int[] validationDocs = [.. Enumerable.Range(0, docs.Count).Where(i => !evaluated.Contains(i)).OrderBy(_ => validationRandom.Next()).Take(ValidationQueries)];
            string[] validationTexts = [.. validationDocs.Select(i => PlainWords(docs[i].Synopsis))];
            float[][] validationVectors = EmbeddingCache.Get(validationTexts, cacheFolder, "validation queries", out _);
            double ValidationMrr(Func<int, int[]> search)
            {
                var metrics = new RankingMetrics();
                for (int v = 0; v < validationDocs.Length; v++)
                    metrics.Add(search(v), byBody[bodies[validationDocs[v]]]);
                return metrics.Mrr10;
            }
            double textAlone = ValidationMrr(v => Ids(text.SearchText("body", validationTexts[v], textOptions)));
            double denseAlone = ValidationMrr(v => Ids(collection.Search(validationVectors[v], denseOptions)));
            var validation = new List<(int K, float Weight, double Mrr)>();
            foreach (int k in RrfKs)
            {
                foreach (float weight in RrfTextWeights)
                    validation.Add((k, weight, ValidationMrr(v => new WeightedRrf(collection, validationTexts[v], validationVectors[v], weight, k).Search())));
            }
            (int chosenK, float chosenWeight, _) = validation.MaxBy(v => v.Mrr);
            rrfWeightNote = $"Tuned reciprocal rank fusion: k and the BM25 prefetch's weight (the dense one's is 1) chosen jointly by MRR@10 on {validationDocs.Length:N0} validation queries (synopses of other packages than the evaluated ones; there BM25 alone gives {Format.Recall(textAlone)}, dense alone {Format.Recall(denseAlone)}). Validation MRR@10 per k, for weights {string.Join(", ", RrfTextWeights.Select(w => w.ToString("0.##", CultureInfo.InvariantCulture)))}: " +
                string.Join("; ", RrfKs.Select(k => $"k {k}: " + string.Join(", ", validation.Where(v => v.K == k).Select(v => Format.Recall(v.Mrr))))) +
                $". Chosen: k {chosenK}, weight {chosenWeight:0.##}.";
            retrievers.Add(new Retriever($"VectLite hybrid: BM25 (weight {chosenWeight:0.##}) + dense, reciprocal rank, k {chosenK} fusion (tuned on validation queries)", q => new WeightedRrf(collection, queryTexts[q], queryVectors[q], chosenWeight, chosenK).Search())
            {
                Build = "the two above",
                Size = "",
            });
        }

        for (int round = 0; round < rounds; round++)
        {
            foreach (Retriever retriever in retrievers)
            {
                var answers = new int[queryTexts.Length][];
                watch.Restart();
                for (int q = 0; q < queryTexts.Length; q++)
                    answers[q] = retriever.Search(q);
                retriever.QueriesPerSecond.Add(queryTexts.Length / watch.Elapsed.TotalSeconds);
                retriever.Answers = answers;
            }
            Console.Error.WriteLine($"retrieval: round {round + 1} of {rounds} done");
        }
        foreach (Retriever retriever in retrievers)
        {
            for (int q = 0; q < queryTexts.Length; q++)
                retriever.Metrics.Add(retriever.Answers[q], relevant[q]);
        }

        // Agreement of VectLite's BM25 with Lucene's: the share of Lucene's top 10 that VectLite's top 10 holds.
        Retriever ours = retrievers.Single(r => r.Name == "VectLite BM25");
        Retriever peer = retrievers.Single(r => r.Name.StartsWith("Lucene", StringComparison.Ordinal));
        double agreement = Enumerable.Range(0, queryTexts.Length)
            .Average(q => peer.Answers[q].Length == 0 ? 1.0 : (double)ours.Answers[q].Take(10).Intersect(peer.Answers[q].Take(10)).Count() / Math.Min(10, peer.Answers[q].Length));
        double[] perRound = [.. ours.QueriesPerSecond.Zip(peer.QueriesPerSecond, (a, b) => a / b)];
        double speed = Statistics.Median(perRound);

        var report = new MarkdownReport("Hybrid retrieval: Debian package descriptions", machine);
        report.Paragraph($"Load average at the start: {load}. Corpus: `{corpusPath}`, {docs.Count:N0} packages with a long description ({byBody.Count:N0} distinct texts); {queryTexts.Length:N0} queries, each a sampled package's synopsis, whose relevant documents are that package's long description and every identical one. {(bm25Only ? "BM25 only (--bm25-only): no embeddings." : $"Embeddings: all-MiniLM-L6-v2 through VectLite.Embeddings ({(docEmbedTime == TimeSpan.Zero ? "read from the cache" : $"{Format.Seconds(docEmbedTime)} for the documents, {Format.Seconds(queryEmbedTime)} for the queries")}); query embedding is outside the timed searches.")} BM25 k1 1.2, b 0.75 on both sides; queries are an OR of the analysed terms. Every retriever returns its top {Depth}; queries/s on one thread, {rounds} rounds. Run time {Format.Seconds(started.Elapsed)}.");
        report.Table(["retriever", "MRR@10", "recall@10", "recall@100", "queries/s (median, min-max)", "build", "index size"],
            retrievers.Select(r => (IReadOnlyList<string>)[
                r.Name, Format.Recall(r.Metrics.Mrr10), Format.Recall(r.Metrics.Recall10), Format.Recall(r.Metrics.Recall100),
                $"{Format.Count(Statistics.Median(r.QueriesPerSecond))} ({Format.Count(r.QueriesPerSecond.Min())}-{Format.Count(r.QueriesPerSecond.Max())})",
                r.Build, r.Size,
            ]));
        report.Bullets(
        [
            $"BM25 top-10 agreement with Lucene.Net (share of Lucene's top 10 in VectLite's top 10, mean over queries): {Format.Recall(agreement)} (target >= 0.95: {Format.Verdict(agreement >= 0.95)})",
            $"BM25 queries/s, VectLite / Lucene.Net: median {Format.Ratio(speed)} (per round {string.Join(", ", perRound.Select(r => Format.Ratio(r)))}; target >= 1.5x: {Format.Verdict(speed >= 1.5)})",
            $"BM25 build, VectLite / Lucene.Net: {Format.Ratio(textBuild.TotalSeconds / lucene.BuildTime.TotalSeconds)} (target <= 1.0x: {Format.Verdict(textBuild <= lucene.BuildTime)})",
        ]);
        if (rrfWeightNote is not null)
            report.Paragraph(rrfWeightNote);
        if (!bm25Only)
            report.Bullets([.. retrievers.Where(r => r.Name.StartsWith("VectLite hybrid", StringComparison.Ordinal))
                .Select(r => $"{r.Name} beats both retrievers alone on MRR@10: {Format.Verdict(Beats(retrievers, r))}")]);
        report.Save(output);
    }

    private static bool Beats(List<Retriever> retrievers, Retriever fused) =>
        fused.Metrics.Mrr10 > retrievers.Single(r => r.Name == "VectLite BM25").Metrics.Mrr10
        && fused.Metrics.Mrr10 > retrievers.Single(r => r.Name.StartsWith("VectLite dense", StringComparison.Ordinal)).Metrics.Mrr10;

    private static string PlainWords(string text) =>
        string.Join(' ', text.Replace('"', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.TrimStart('+', '-')).Where(w => w.Length > 0));

    private static int[] Ids(IReadOnlyList<SearchHit> hits)
    {
        var ids = new int[hits.Count];
        for (int i = 0; i < ids.Length; i++)
            ids[i] = checked((int)hits[i].Id.AsNumber);
        return ids;
    }
}
