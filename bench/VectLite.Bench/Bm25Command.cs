using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace VectLite.Bench;

/// <summary>
/// <c>bm25 [--translation FILE] [--queries 2000]</c>: VectLite's BM25 text index against Lucene.Net 4.8
/// (<c>BM25Similarity</c>, the same analyzer chain: standard tokenizer, English possessive, lowercase, ASCII folding,
/// English stop words, Snowball English stemmer) on the English descriptions of the Debian archive. Documents are the
/// long descriptions; queries are synopses (every n-th package). Reports index build time, memory, single-thread
/// queries/s and top-10 agreement (overlap of the two top-10 sets).
/// </summary>
internal static class Bm25Command
{
    private const string DefaultTranslation = "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_i18n_Translation-en.lz4";

    public static Command Create()
    {
        var translation = new Option<string>("--translation") { Description = "Debian Translation-en index (plain or .lz4; `apt-get update -o Acquire::Languages=en` fetches it).", DefaultValueFactory = _ => DefaultTranslation };
        var queries = new Option<int>("--queries") { Description = "Synopses used as queries.", DefaultValueFactory = _ => 2_000 };
        var command = new Command("bm25", "BM25 full-text search: VectLite against Lucene.Net 4.8 on Debian package descriptions.") { translation, queries };
        command.SetAction(result =>
        {
            Run(result.GetRequiredValue(translation), result.GetValue(queries));
            return 0;
        });
        return command;
    }

    private static void Run(string translationPath, int queryCount)
    {
        List<(string Package, string Synopsis, string Long)> packages = Read(translationPath);
        var docs = packages.Where(p => p.Long.Length > 0).ToList();
        int step = Math.Max(1, docs.Count / queryCount);
        string[] queries = [.. docs.Where((_, i) => i % step == 0).Take(queryCount).Select(p => Neutral(p.Synopsis))];
        Console.WriteLine($"bm25: {docs.Count} documents, {queries.Length} queries, build {(MachineInfo.IsDebugBuild ? "DEBUG" : "Release")}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");

        // How far the two analyzer chains agree, term for term, on the first 5,000 documents.
        using (var probe = new ChainAnalyzer())
        {
            VectLite.Text.Analysis.AnalyzerChain ours = VectLite.Text.Analysis.AnalyzerChain.Create(TextAnalyzer.English);
            int same = 0, sample = Math.Min(5_000, docs.Count);
            for (int i = 0; i < sample; i++)
            {
                same += ours.Analyze(docs[i].Long).Select(t => t.Term).SequenceEqual(Terms(probe, docs[i].Long)) ? 1 : 0;
            }
            Console.WriteLine($"bm25: analyzers agree term for term on {same} of {sample} documents");
        }

        // VectLite: in memory, index declared first, records upserted in batches of 10,000.
        using Database db = Database.OpenInMemory();
        Collection collection = db.CreateCollection("debian", CollectionSchema.MetadataOnly());
        collection.CreateTextIndex("d", new TextIndexOptions { Fields = ["text"] });
        var clock = Stopwatch.StartNew();
        foreach (var chunk in docs.Chunk(10_000))
        {
            collection.UpsertMany(chunk.Select(p => new Record(p.Package) { Payload = new JsonObject { ["text"] = p.Long } }));
        }
        double vlBuild = clock.Elapsed.TotalSeconds;
        long vlBytes = collection.Engine.TextIndexForTests("d")!.MemoryBytes;

        // Lucene.Net: RAMDirectory, one segment after a commit (ForceMerge(1)), BM25Similarity(1.2, 0.75).
        using var analyzer = new ChainAnalyzer();
        using var directory = new RAMDirectory();
        clock.Restart();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer) { Similarity = new BM25Similarity(), RAMBufferSizeMB = 256 }))
        {
            foreach (var p in docs)
            {
                writer.AddDocument(new Document { new StringField("id", p.Package, Field.Store.YES), new TextField("text", p.Long, Field.Store.NO) });
            }
            writer.Commit();
        }
        double luBuild = clock.Elapsed.TotalSeconds;
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        long luBytes = directory.GetSizeInBytes();

        var luQueries = queries.Select(q => ToLucene(analyzer, q)).ToArray();
        var search = new TextSearchOptions { TopK = 10, IncludePayload = false };
        // Warm-up, then time each engine on one thread.
        for (int i = 0; i < Math.Min(200, queries.Length); i++)
        {
            collection.SearchText("d", queries[i], search);
            searcher.Search(luQueries[i], 10);
        }
        var vlResults = new List<string>[queries.Length];
        clock.Restart();
        for (int i = 0; i < queries.Length; i++)
        {
            vlResults[i] = [.. collection.SearchText("d", queries[i], search).Select(h => h.Id.ToString())];
        }
        double vlSeconds = clock.Elapsed.TotalSeconds;
        var luResults = new List<string>[queries.Length];
        clock.Restart();
        for (int i = 0; i < queries.Length; i++)
        {
            TopDocs top = searcher.Search(luQueries[i], 10);
            luResults[i] = [.. top.ScoreDocs.Select(d => d.Doc.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        }
        double luSeconds = clock.Elapsed.TotalSeconds;
        for (int i = 0; i < queries.Length; i++)
        {
            luResults[i] = [.. luResults[i].Select(d => searcher.Doc(int.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).Get("id"))];
        }

        double agreement = 0, exact = 0;
        for (int i = 0; i < queries.Length; i++)
        {
            int overlap = vlResults[i].Intersect(luResults[i]).Count();
            int denominator = Math.Max(1, Math.Max(vlResults[i].Count, luResults[i].Count));
            agreement += (double)overlap / denominator;
            exact += vlResults[i].SequenceEqual(luResults[i]) ? 1 : 0;
        }
        // The same queries again with Lucene 4.8's one-byte document lengths: how much of the disagreement they explain.
        VectLite.Text.TextSearcher.LuceneNormsForBench = true;
        double lossyAgreement = 0;
        for (int i = 0; i < queries.Length; i++)
        {
            var lossy = collection.SearchText("d", queries[i], search).Select(h => h.Id.ToString()).ToList();
            lossyAgreement += (double)lossy.Intersect(luResults[i]).Count() / Math.Max(1, Math.Max(lossy.Count, luResults[i].Count));
        }
        VectLite.Text.TextSearcher.LuceneNormsForBench = false;
        Console.WriteLine($"bm25: top-10 agreement with VectLite scoring on Lucene 4.8's one-byte lengths: {lossyAgreement / queries.Length:0.000}");
        Console.WriteLine($"bm25: build        VectLite {vlBuild:0.00} s   Lucene.Net {luBuild:0.00} s   (ratio {luBuild / vlBuild:0.00})");
        Console.WriteLine($"bm25: index memory VectLite {vlBytes / 1048576.0:0.0} MiB   Lucene.Net {luBytes / 1048576.0:0.0} MiB (RAMDirectory files)");
        Console.WriteLine($"bm25: queries/s    VectLite {queries.Length / vlSeconds:0}   Lucene.Net {queries.Length / luSeconds:0}   (ratio {luSeconds / vlSeconds:0.00}), one thread, top 10");
        Console.WriteLine($"bm25: top-10 agreement {agreement / queries.Length:0.000} (mean overlap), identical top-10 lists {exact / queries.Length:0.000}");
    }

    /// <summary>The query as a Lucene BooleanQuery of SHOULD term clauses over the analyzed synopsis (repeats kept, as VectLite weights them).</summary>
    private static Query ToLucene(Analyzer analyzer, string text)
    {
        var query = new BooleanQuery();
        using TokenStream stream = analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            query.Add(new TermQuery(new Term("text", term.ToString())), Occur.SHOULD);
        }
        stream.End();
        return query;
    }

    private static List<string> Terms(Analyzer analyzer, string text)
    {
        var terms = new List<string>();
        using TokenStream stream = analyzer.GetTokenStream("text", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            terms.Add(term.ToString());
        }
        stream.End();
        return terms;
    }

    /// <summary>VectLite's query syntax characters as spaces, so both engines see plain words.</summary>
    private static string Neutral(string text) => text.Replace('"', ' ').Replace('+', ' ').Replace('-', ' ');

    private static List<(string, string, string)> Read(string path)
    {
        string text;
        if (path.EndsWith(".lz4", StringComparison.Ordinal))
        {
            using var process = Process.Start(new ProcessStartInfo("lz4", ["-dc", path]) { RedirectStandardOutput = true })!;
            text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
        }
        else
        {
            text = File.ReadAllText(path);
        }
        var result = new List<(string, string, string)>();
        string? package = null, synopsis = null;
        var body = new StringBuilder();
        foreach (string line in text.Split('\n').Append(""))
        {
            if (line.Length == 0)
            {
                if (package is not null && synopsis is not null)
                {
                    result.Add((package, synopsis, body.ToString().Trim()));
                }
                package = synopsis = null;
                body.Clear();
            }
            else if (line.StartsWith("Package: ", StringComparison.Ordinal))
            {
                package = line[9..];
            }
            else if (line.StartsWith("Description-en: ", StringComparison.Ordinal))
            {
                synopsis = line[16..];
            }
            else if (line.StartsWith(' ') && synopsis is not null)
            {
                body.Append(line == " ." ? "\n" : line[1..]).Append('\n');
            }
        }
        return result;
    }

    /// <summary>The chain VectLite's English analyzer runs, built from Lucene's own stages.</summary>
    private sealed class ChainAnalyzer : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var tokenizer = new StandardTokenizer(LuceneVersion.LUCENE_48, reader);
            TokenStream stream = new EnglishPossessiveFilter(LuceneVersion.LUCENE_48, tokenizer);
            stream = new LowerCaseFilter(LuceneVersion.LUCENE_48, stream);
            stream = new ASCIIFoldingFilter(stream);
            stream = new StopFilter(LuceneVersion.LUCENE_48, stream, StopAnalyzer.ENGLISH_STOP_WORDS_SET);
            stream = new SnowballFilter(stream, new Lucene.Net.Tartarus.Snowball.Ext.EnglishStemmer());
            return new TokenStreamComponents(tokenizer, stream);
        }
    }
}
