using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Text;

/// <summary>
/// Full-text indexes end to end: BM25 scores against the formula, statistics under updates and deletes, persistence
/// without a rebuild, verification, query syntax, filters and namespaces, hybrid fusion, typed errors.
/// </summary>
public sealed class TextIndexTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Record Doc(string id, string text, string? ns = null, JsonObject? extra = null)
    {
        var payload = new JsonObject { ["body"] = text };
        foreach (var (key, value) in extra ?? [])
        {
            payload[key] = value?.DeepClone();
        }
        return new Record(id) { Payload = payload, Namespace = ns };
    }

    private static Collection NewCollection(Database db, string name = "docs", TextAnalyzer? analyzer = null)
    {
        Collection c = db.CreateCollection(name, CollectionSchema.MetadataOnly());
        c.CreateTextIndex("body", new TextIndexOptions { Fields = ["body"], Analyzer = analyzer ?? TextAnalyzer.English });
        return c;
    }

    /// <summary>
    /// Lucene 4.8 BM25, computed here from literal counts: idf * (k1 + 1) * tf / (tf + k1 * (1 - b + b * dl' / avgdl)),
    /// dl' the length Lucene stores for dl (its one-byte norm, decoded by Lucene.Net's own SmallFloat).
    /// </summary>
    private static double Bm25(int n, int docFreq, int tf, int dl, double avgdl, double k1 = 1.2, double b = 0.75) =>
        Math.Log(1 + ((n - docFreq + 0.5) / (docFreq + 0.5))) * (k1 + 1) * tf / (tf + (k1 * (1 - b + (b * LuceneStoredLength(dl) / avgdl))));

    /// <summary>The document length Lucene 4.8's BM25Similarity scores with: 1 / f² of the norm byte f it stores.</summary>
    internal static double LuceneStoredLength(int dl)
    {
        float f = Lucene.Net.Util.SmallSingle.SByte315ToSingle(Lucene.Net.Util.SmallSingle.SingleToSByte315(1f / MathF.Sqrt(dl)));
        return 1.0 / (f * f);
    }

    [Fact]
    public void Scores_are_lucenes_bm25_computed_from_the_counts()
    {
        using Database db = Database.OpenInMemory();
        Collection c = NewCollection(db);
        c.Upsert(Doc("d1", "The quick brown fox"));   // quick brown fox: 3 terms ("the" is a stop word)
        c.Upsert(Doc("d2", "Fox, fox jumps!"));        // fox fox jump: 3
        c.Upsert(Doc("d3", "lazy dog"));               // lazi dog: 2
        double avgdl = 8 / 3.0;

        IReadOnlyList<SearchHit> hits = c.SearchText("body", "foxes");
        Assert.Equal(["d2", "d1"], hits.Select(h => h.Id.ToString()));
        Assert.Equal(Bm25(3, 2, tf: 2, dl: 3, avgdl), hits[0].Score, 5);
        Assert.Equal(Bm25(3, 2, tf: 1, dl: 3, avgdl), hits[1].Score, 5);

        // Two terms add up; a term the query repeats counts twice, as Lucene's repeated clauses do.
        IReadOnlyList<SearchHit> two = c.SearchText("body", "dog fox dog");
        SearchHit d3 = Assert.Single(two, h => h.Id.ToString() == "d3");
        Assert.Equal(2 * Bm25(3, 1, tf: 1, dl: 2, avgdl), d3.Score, 5);
    }

    [Fact]
    public void K1_and_b_are_the_indexes_own()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        c.CreateTextIndex("body", new TextIndexOptions { Fields = ["body"], K1 = 2f, B = 0.3f, Analyzer = TextAnalyzer.Simple });
        c.Upsert(Doc("a", "x x y"));
        c.Upsert(Doc("b", "y z"));
        SearchHit hit = Assert.Single(c.SearchText("body", "x"));
        Assert.Equal(Bm25(2, 1, tf: 2, dl: 3, avgdl: 2.5, k1: 2, b: 0.3), hit.Score, 5);
    }

    [Fact]
    public void Statistics_after_updates_deletes_and_payload_patches_equal_a_fresh_index_of_the_final_data()
    {
        using Database db = Database.OpenInMemory();
        Collection live = NewCollection(db, "live");
        string[] texts = ["alpha beta gamma", "beta beta delta", "gamma epsilon", "alpha alpha alpha zeta", "delta beta", "eta theta alpha"];
        for (int i = 0; i < texts.Length; i++)
        {
            live.Upsert(Doc($"r{i}", texts[i]));
        }
        live.Upsert(Doc("r1", "beta omega"));                                  // replace
        Assert.True(live.Delete("r2"));                                        // delete
        Assert.True(live.UpdatePayload("r3", new JsonObject { ["body"] = "zeta zeta" })); // patch the indexed field
        Assert.True(live.UpdatePayload("r4", new JsonObject { ["tag"] = "x" })); // patch another field: text unchanged
        live.DeleteByFilter(Filter.Eq("body", "eta theta alpha"));              // delete by filter
        live.Upsert(Doc("r9", "alpha omega omega"));

        Collection fresh = NewCollection(db, "fresh");
        fresh.Upsert(Doc("r0", "alpha beta gamma"));
        fresh.Upsert(Doc("r1", "beta omega"));
        fresh.Upsert(Doc("r3", "zeta zeta"));
        fresh.Upsert(Doc("r4", "delta beta", extra: new JsonObject { ["tag"] = "x" }));
        fresh.Upsert(Doc("r9", "alpha omega omega"));

        foreach (string query in new[] { "alpha", "beta", "omega zeta", "delta gamma epsilon", "theta" })
        {
            var expected = fresh.SearchText("body", query, new TextSearchOptions { TopK = 20 }).Select(h => (h.Id.ToString(), h.Score)).OrderBy(x => x.Item1).ToList();
            var actual = live.SearchText("body", query, new TextSearchOptions { TopK = 20 }).Select(h => (h.Id.ToString(), h.Score)).OrderBy(x => x.Item1).ToList();
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void A_checkpoint_saves_the_index_and_a_reopen_loads_it_without_analyzing_any_record()
    {
        var options = new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled };
        List<(string, float)> before;
        using (Database db = _temp.Open(options))
        {
            Collection c = NewCollection(db);
            for (int i = 0; i < 50; i++)
            {
                c.Upsert(Doc($"d{i}", $"document {i} about {(i % 3 == 0 ? "cats" : "dogs")} and {(i % 5 == 0 ? "birds" : "fish")}"));
            }
            c.Delete("d3");
            c.Compact();
            before = [.. c.SearchText("body", "cat birds").Select(h => (h.Id.ToString(), h.Score))];
        }
        Assert.True(Database.Verify(_temp.Path).IsIntact);
        Assert.Single(Directory.GetFiles(_temp.CollectionDirectory("docs"), "*.vltext"));

        using (Database db = _temp.Open(options))
        {
            Collection c = db.GetCollection("docs");
            var index = c.Engine.TextIndexForTests("body")!;
            Assert.Equal("loaded", index.Origin);
            Assert.Equal(0, index.DocumentsAnalyzed);
            Assert.Equal(before, c.SearchText("body", "cat birds").Select(h => (h.Id.ToString(), h.Score)));
            Assert.Equal(["body"], c.TextIndexes.Keys);
            Assert.Equal(["body"], c.TextIndexes["body"].Fields);
        }
    }

    [Fact]
    public void Writes_after_the_checkpoint_replay_onto_the_loaded_index()
    {
        var options = new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled };
        using (Database db = _temp.Open(options))
        {
            Collection c = NewCollection(db);
            c.Upsert(Doc("a", "red apple"));
            c.Upsert(Doc("b", "green apple"));
            c.Compact();
            c.Upsert(Doc("c", "red cherry"));
            c.Delete("a");
        }
        using (Database db = _temp.Open(options))
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(["c"], c.SearchText("body", "red").Select(h => h.Id.ToString()));
            Assert.Equal(Bm25(2, 1, 1, 2, 2.0), c.SearchText("body", "red")[0].Score, 5);
            Assert.Equal(2, c.Engine.TextIndexForTests("body")!.DocumentsAnalyzed); // replay: the upsert of c and the delete of a
        }
    }

    [Fact]
    public void A_damaged_text_index_file_is_reported_by_verify_and_refused_on_open()
    {
        var options = new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled };
        using (Database db = _temp.Open(options))
        {
            Collection c = NewCollection(db);
            c.Upsert(Doc("a", "some searchable words"));
            c.Compact();
        }
        string file = Directory.GetFiles(_temp.CollectionDirectory("docs"), "*.vltext").Single();
        byte[] bytes = File.ReadAllBytes(file);
        bytes[^8] ^= 0x40; // inside the last posting
        File.WriteAllBytes(file, bytes);

        VerifyReport report = Database.Verify(_temp.Path);
        Assert.False(report.IsIntact);
        Assert.Contains(report.Findings, f => f.FilePath == file);
        Assert.ThrowsAny<CorruptFileException>(() =>
        {
            using Database db = _temp.Open(options);
            db.GetCollection("docs").SearchText("body", "words");
        });
    }

    [Fact]
    public void Index_definitions_survive_the_log_and_an_option_update()
    {
        var options = new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled };
        using (Database db = _temp.Open(options))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
            c.Upsert(Doc("a", "Ünïcode wörds"));
            c.CreateTextIndex("body", new TextIndexOptions { Fields = ["body", "tags"], Analyzer = TextAnalyzer.Simple, K1 = 0.9f, B = 0.4f });
        }
        using (Database db = _temp.Open(options))
        {
            Collection c = db.GetCollection("docs");
            TextIndexOptions o = c.TextIndexes["body"];
            Assert.Equal(["body", "tags"], o.Fields);
            Assert.Equal(TextAnalyzer.Simple, o.Analyzer);
            Assert.Equal((0.9f, 0.4f), (o.K1, o.B));
            Assert.Equal(["a"], c.SearchText("body", "unicode").Select(h => h.Id.ToString()));
            c.Compact();
        }
        using (Database db = _temp.Open(options))
        {
            Assert.Equal(TextAnalyzer.Simple, db.GetCollection("docs").TextIndexes["body"].Analyzer);
            Assert.True(db.GetCollection("docs").DropTextIndex("body"));
            Assert.False(db.GetCollection("docs").DropTextIndex("body"));
        }
        using (Database db = _temp.Open(options))
        {
            Assert.Empty(db.GetCollection("docs").TextIndexes);
        }
    }

    [Fact]
    public void Required_excluded_and_phrase_clauses()
    {
        using Database db = Database.OpenInMemory();
        Collection c = NewCollection(db);
        c.Upsert(Doc("1", "New York city"));
        c.Upsert(Doc("2", "York, new and old"));
        c.Upsert(Doc("3", "New Jersey"));
        c.Upsert(Doc("4", "the bank of america"));

        string[] Ids(string q) => [.. c.SearchText("body", q).Select(h => h.Id.ToString()).Order()];
        Assert.Equal(["1", "2", "3"], Ids("new"));
        Assert.Equal(["1"], Ids("\"new york\""));
        Assert.Equal(["1", "2"], Ids("+new +york"));
        Assert.Equal(["1", "2"], Ids("+new -jersey"));
        Assert.Equal(["2"], Ids("york -\"new york\""));
        Assert.Equal(["3"], Ids("jersey -\"new york\""));
        Assert.Equal(["4"], Ids("\"bank of america\"")); // the stop word keeps its position
        Assert.Empty(Ids("\"bank america\""));
        Assert.Empty(Ids("-new"));                          // nothing to score
        Assert.Empty(Ids("+new +missing"));
    }

    [Fact]
    public void Namespaces_and_payload_filters_compose_with_text_search()
    {
        using Database db = Database.OpenInMemory();
        Collection c = NewCollection(db);
        c.CreatePayloadIndex("lang", PayloadIndexKind.Keyword);
        c.Upsert(Doc("a1", "vector database", ns: "a", extra: new JsonObject { ["lang"] = "en" }));
        c.Upsert(Doc("a2", "vector search engine", ns: "a", extra: new JsonObject { ["lang"] = "de" }));
        c.Upsert(Doc("b1", "vector graphics", ns: "b", extra: new JsonObject { ["lang"] = "en" }));
        c.Upsert(Doc("d1", "vector space"));

        string[] Ids(TextSearchOptions o) => [.. c.SearchText("body", "vector", o).Select(h => h.Id.ToString()).Order()];
        Assert.Equal(["d1"], Ids(new TextSearchOptions()));
        Assert.Equal(["a1", "a2"], Ids(new TextSearchOptions { Namespace = "a" }));
        Assert.Equal(["a1"], Ids(new TextSearchOptions { Namespace = "a", Filter = Filter.Eq("lang", "en") }));
        Assert.Equal(["a1", "b1"], Ids(new TextSearchOptions { AllNamespaces = true, Filter = Filter.Eq("lang", "en") }));
        Assert.Empty(Ids(new TextSearchOptions { Namespace = "nobody" }));
    }

    [Fact]
    public void Arrays_of_strings_and_several_fields_form_one_document_and_phrases_do_not_span_values()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        c.CreateTextIndex("all", new TextIndexOptions { Fields = ["title", "meta.tags"], Analyzer = TextAnalyzer.Simple });
        c.Upsert(new Record("x") { Payload = new JsonObject { ["title"] = "alpha", ["meta"] = new JsonObject { ["tags"] = new JsonArray("beta", "gamma delta") } } });
        Assert.Equal(["x"], c.SearchText("all", "gamma").Select(h => h.Id.ToString()));
        Assert.Equal(["x"], c.SearchText("all", "\"gamma delta\"").Select(h => h.Id.ToString()));
        Assert.Empty(c.SearchText("all", "\"alpha beta\""));
        Assert.Empty(c.SearchText("all", "\"beta gamma\""));
    }

    [Fact]
    public void Expired_records_leave_the_results_and_the_statistics()
    {
        using Database db = Database.OpenInMemory();
        Collection c = NewCollection(db, analyzer: TextAnalyzer.Simple);
        c.Upsert(Doc("keep", "x y"));
        c.Upsert(Doc("other", "y z"));
        c.Upsert(new Record("gone") { Payload = new JsonObject { ["body"] = "x x x x" }, ExpiresAt = DateTimeOffset.UtcNow.AddHours(1) });
        Assert.Equal(2, c.SearchText("body", "x").Count);
        Assert.True(c.SetExpiry("gone", DateTimeOffset.UtcNow.AddMilliseconds(-1)));
        SearchHit hit = Assert.Single(c.SearchText("body", "x"));
        Assert.Equal("keep", hit.Id.ToString());
        Assert.Equal(Bm25(2, 1, 1, 2, 2.0), hit.Score, 5); // N = 2, avgdl = 2: the expired record counts nowhere
    }

    [Fact]
    public void A_text_prefetch_fuses_with_a_dense_one()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", new CollectionSchema().AddVector("v", 2, Metric.Cosine));
        c.CreateTextIndex("body", new TextIndexOptions { Fields = ["body"] });
        c.Upsert(new Record("near", new float[] { 1, 0 }, new JsonObject { ["body"] = "unrelated words" }));
        c.Upsert(new Record("word", new float[] { 0, 1 }, new JsonObject { ["body"] = "the keyword here" }));
        c.Upsert(new Record("both", new float[] { 0.9f, 0.1f }, new JsonObject { ["body"] = "keyword, keywords" }));

        QueryResult result = c.Query(new HybridQuery
        {
            Prefetches = [new Prefetch(new float[] { 1, 0 }) { Limit = 3 }, Prefetch.Text("body", "keyword")],
            TopK = 3,
        });
        Assert.Equal("both", result.Hits[0].Id.ToString()); // first in the text list, second in the dense one
        Assert.Equal((1.0 / 62) + (1.0 / 61), result.Hits[0].Score, 5);
        Assert.Contains(result.Stages, s => s.Name.Contains("text 'body'", StringComparison.Ordinal));
        Assert.Throws<SchemaException>(() => c.Query(new HybridQuery { Prefetches = [Prefetch.Text("nope", "x")] }));
    }

    [Fact]
    public void A_transaction_across_collections_with_a_non_string_text_value_is_refused_whole()
    {
        using Database db = _temp.Open(new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled });
        Collection plain = db.CreateCollection("plain", CollectionSchema.MetadataOnly());
        Collection text = NewCollection(db);
        var batch = new WriteBatch()
            .Upsert("plain", new Record("p") { Payload = new JsonObject { ["x"] = 1 } })
            .Upsert("docs", new Record("t") { Payload = new JsonObject { ["body"] = 7 } });
        Assert.Throws<InvalidRecordException>(() => db.Write(batch));
        Assert.Null(plain.Get("p"));
        Assert.Null(text.Get("t"));
    }

    [Fact]
    public void A_german_index_finds_the_singular_for_a_plural_query()
    {
        using Database db = Database.OpenInMemory();
        Collection german = NewCollection(db, "de", TextAnalyzer.FromName("german"));
        Collection simple = NewCollection(db, "plain", TextAnalyzer.Simple);
        foreach (Collection c in new[] { german, simple })
        {
            c.Upsert(Doc("haus", "Das Haus am See"));
            c.Upsert(Doc("boot", "Ein Boot auf dem See"));
        }
        // Snowball German maps "Häuser" and "Haus" to the stem "haus"; the simple analyzer keeps "hauser" apart.
        Assert.Equal(["haus"], german.SearchText("body", "Häuser").Select(h => h.Id.ToString()));
        Assert.Empty(simple.SearchText("body", "Häuser"));
    }

    [Fact]
    public void Bad_definitions_and_non_string_values_are_typed_errors()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        Assert.Throws<SchemaException>(() => c.CreateTextIndex("t", new TextIndexOptions { Fields = [] }));
        Assert.Throws<SchemaException>(() => c.CreateTextIndex("t", new TextIndexOptions { Fields = ["a..b"] }));
        Assert.Throws<SchemaException>(() => c.CreateTextIndex("t", new TextIndexOptions { Fields = ["a"], Analyzer = new TextAnalyzer { Language = "klingon" } }));
        Assert.Throws<SchemaException>(() => c.CreateTextIndex("t", new TextIndexOptions { Fields = ["a"], K1 = float.NaN }));
        Assert.Throws<SchemaException>(() => c.CreateTextIndex("t", new TextIndexOptions { Fields = ["a"], B = 1.5f }));
        Assert.Throws<InvalidNameException>(() => c.CreateTextIndex("bad name", new TextIndexOptions { Fields = ["a"] }));

        c.Upsert(new Record("n") { Payload = new JsonObject { ["count"] = 3 } });
        Assert.Throws<SchemaException>(() => c.CreateTextIndex("t", new TextIndexOptions { Fields = ["count"] }));

        c.CreateTextIndex("t", new TextIndexOptions { Fields = ["body"] });
        c.CreateTextIndex("t", new TextIndexOptions { Fields = ["body"] }); // the same again: nothing to do
        Assert.Throws<SchemaException>(() => c.CreateTextIndex("t", new TextIndexOptions { Fields = ["other"] }));
        Assert.Throws<InvalidRecordException>(() => c.Upsert(new Record("x") { Payload = new JsonObject { ["body"] = 42 } }));
        Assert.Throws<InvalidRecordException>(() => c.Upsert(new Record("y") { Payload = new JsonObject { ["body"] = new JsonArray("ok", 1) } }));
        c.Upsert(new Record("z") { Payload = new JsonObject { ["body"] = "fine" } });
        Assert.Throws<InvalidRecordException>(() => c.UpdatePayload("z", new JsonObject { ["body"] = true }));
        Assert.Equal(["z"], c.SearchText("t", "fine").Select(h => h.Id.ToString()));
        Assert.Throws<SchemaException>(() => c.SearchText("missing", "fine"));
    }
}
