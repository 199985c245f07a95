using System.Diagnostics;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace VectLite.Bench;

/// <summary>
/// The BM25 peer: Lucene.Net 4.8 with <see cref="BM25Similarity"/> (k1 1.2, b 0.75) over an on-disk index, the
/// analyzer chain VectLite's English analyzer applies (standard tokenizer, lower case, ASCII folding, English stop
/// words, Snowball English stemming), queries as an OR of the analysed terms, searched on one thread.
/// </summary>
internal sealed class LuceneBm25 : IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string Body = "body";
    private readonly Analyzer _analyzer = NewAnalyzer();
    private readonly FSDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    private LuceneBm25(FSDirectory directory, TimeSpan build)
    {
        _directory = directory;
        BuildTime = build;
        _reader = DirectoryReader.Open(directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity(1.2f, 0.75f) };
    }

    /// <summary>Indexing and the final commit (merges left to Lucene's default policy).</summary>
    public TimeSpan BuildTime { get; }

    /// <summary>Bytes of the index files on disk.</summary>
    public long IndexBytes => System.IO.Directory.EnumerateFiles(_directory.Directory.FullName).Sum(f => new FileInfo(f).Length);

    /// <summary>Indexes the documents (doc i stores i) into <paramref name="folder"/>, timed.</summary>
    public static LuceneBm25 Build(IReadOnlyList<string> documents, string folder)
    {
        FSDirectory directory = FSDirectory.Open(folder);
        var watch = Stopwatch.StartNew();
        var peer = new LuceneBm25Builder(documents, directory);
        peer.Run();
        watch.Stop();
        return new LuceneBm25(directory, watch.Elapsed);
    }

    /// <summary>The top <paramref name="k"/> documents (by index) for an OR of the query's analysed terms.</summary>
    public int[] Search(string query, int k)
    {
        var boolean = new BooleanQuery();
        using (TokenStream stream = _analyzer.GetTokenStream(Body, query))
        {
            var term = stream.AddAttribute<ICharTermAttribute>();
            stream.Reset();
            while (stream.IncrementToken())
                boolean.Add(new TermQuery(new Term(Body, term.ToString())), Occur.SHOULD);
            stream.End();
        }
        TopDocs top = _searcher.Search(boolean, k);
        var result = new int[top.ScoreDocs.Length];
        for (int i = 0; i < result.Length; i++)
            result[i] = top.ScoreDocs[i].Doc;
        return result;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
    }

    /// <summary>One indexing run: documents added in order, so Lucene's doc id is the corpus index.</summary>
    private sealed class LuceneBm25Builder(IReadOnlyList<string> documents, FSDirectory directory)
    {
        public void Run()
        {
            using Analyzer analyzer = NewAnalyzer();
            var config = new IndexWriterConfig(Version, analyzer)
            {
                OpenMode = OpenMode.CREATE,
                Similarity = new BM25Similarity(1.2f, 0.75f),
                RAMBufferSizeMB = 256,
            };
            using var writer = new IndexWriter(directory, config);
            var field = new TextField(Body, "", Field.Store.NO);
            var document = new Document { field };
            foreach (string text in documents)
            {
                field.SetStringValue(text);
                writer.AddDocument(document);
            }
            writer.ForceMerge(1);
            writer.Commit();
        }
    }

    /// <summary>The analyzer chain; one instance per use, as Lucene's analyzers keep per-thread state.</summary>
    private static Analyzer NewAnalyzer() => Analyzer.NewAnonymous((_, reader) =>
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new LowerCaseFilter(Version, source);
        stream = new ASCIIFoldingFilter(stream);
        stream = new StopFilter(Version, stream, EnglishAnalyzer.DefaultStopSet);
        stream = new SnowballFilter(stream, new Lucene.Net.Tartarus.Snowball.Ext.EnglishStemmer());
        return new TokenStreamComponents(source, stream);
    });
}
