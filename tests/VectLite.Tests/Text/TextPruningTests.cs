using System.Text.Json.Nodes;
using VectLite.Text;

namespace VectLite.Tests.Text;

/// <summary>MaxScore pruning returns exactly the exhaustive BM25 top k, and scores fewer documents than the postings hold.</summary>
public sealed class TextPruningTests
{
    [Fact]
    public void Pruned_top_k_equals_brute_force_bm25_on_a_random_corpus_with_deletes()
    {
        var random = new Random(20261130); // fixed: the corpus and queries are the same every run
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        c.CreateTextIndex("body", new TextIndexOptions { Fields = ["body"], Analyzer = TextAnalyzer.Simple });
        var docs = new Dictionary<string, string[]>();
        for (int i = 0; i < 1500; i++)
        {
            // Zipf-like vocabulary: w0 is in most documents, w59 in few.
            string[] words = [.. Enumerable.Range(0, random.Next(1, 30)).Select(_ => "w" + (int)(60 * Math.Pow(random.NextDouble(), 2.5)))];
            docs[$"d{i}"] = words;
        }
        c.UpsertMany(docs.Select(d => new Record(d.Key) { Payload = new JsonObject { ["body"] = string.Join(' ', d.Value) } }));
        foreach (string gone in docs.Keys.Where((_, i) => i % 7 == 0).ToList())
        {
            c.Delete(gone);
            docs.Remove(gone);
        }

        int n = docs.Count;
        double avgdl = docs.Values.Average(w => w.Length);
        for (int q = 0; q < 40; q++)
        {
            string[] terms = [.. Enumerable.Range(0, random.Next(1, 5)).Select(_ => "w" + random.Next(60)).Distinct()];
            Dictionary<string, int> dfs = terms.ToDictionary(t => t, t => docs.Values.Count(v => v.Contains(t)));
            var expected = docs
                .Select(d => (Id: d.Key, Score: terms.Sum(t =>
                {
                    int tf = d.Value.Count(w => w == t);
                    int df = dfs[t];
                    return tf == 0 ? 0 : Math.Log(1 + ((n - df + 0.5) / (df + 0.5))) * 2.2 * tf / (tf + (1.2 * (0.25 + (0.75 * TextIndexTests.LuceneStoredLength(d.Value.Length) / avgdl))));
                })))
                .Where(x => x.Score > 0)
                .OrderByDescending(x => x.Score)
                .Take(10)
                .ToList();
            IReadOnlyList<SearchHit> hits = c.SearchText("body", string.Join(' ', terms));
            Assert.Equal(expected.Count, hits.Count);
            for (int i = 0; i < hits.Count; i++)
            {
                Assert.Equal(expected[i].Score, hits[i].Score, 3); // float vs double: ties may swap ids, scores may not
                double own = expected.Concat(docs.Select(d => (d.Key, 0.0))).First(x => x.Item1 == hits[i].Id.ToString()).Item2;
                Assert.Equal(expected[i].Score, own, 3);
            }
        }
    }

    [Fact]
    public void A_common_term_beside_a_rare_one_is_mostly_skipped()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        c.CreateTextIndex("body", new TextIndexOptions { Fields = ["body"], Analyzer = TextAnalyzer.Simple });
        c.UpsertMany(Enumerable.Range(0, 2000).Select(i => new Record($"d{i}")
        {
            Payload = new JsonObject { ["body"] = i % 100 == 0 ? "common rare" : "common filler words" },
        }));

        IReadOnlyList<SearchHit> hits = c.SearchText("body", "common rare", new TextSearchOptions { TopK = 5 });
        Assert.All(hits, h => Assert.Equal(0, int.Parse(h.Id.ToString()[1..], System.Globalization.CultureInfo.InvariantCulture) % 100));
        // Once five documents holding "rare" are in (row 400), "common" alone cannot compete: from there only "rare"'s
        // postings are walked. Without pruning all 2,000 documents would be scored.
        Assert.True(TextSearcher.LastScoredForTests <= 425, $"scored {TextSearcher.LastScoredForTests} of 2000 documents");
    }
}

/// <summary>The text index file's own header, stamp and checksum checks (beside the manifest's whole-file checksum).</summary>
public sealed class TextIndexFileTests
{
    [Fact]
    public void A_flipped_byte_a_foreign_stamp_or_another_row_count_is_corrupt()
    {
        var definition = TextIndexDefinition.Create("t", new TextIndexOptions { Fields = ["body"], Analyzer = TextAnalyzer.Simple });
        var index = new TextIndex(definition, "built");
        index.Add(0, System.Text.Json.JsonDocument.Parse("""{"body":"alpha beta"}""").RootElement, expiring: false);
        index.Add(1, System.Text.Json.JsonDocument.Parse("""{"body":"beta"}""").RootElement, expiring: false);
        byte[] bytes = TextIndexFile.Serialize(index, rows: 2, stamp: 77, CancellationToken.None);
        TextIndexFile.Check("f", bytes, expectedRows: 2, stamp: 77); // intact

        Assert.Contains("stamp", Assert.Throws<CorruptFileException>(() => TextIndexFile.Check("f", bytes, 2, stamp: 78)).Problem, StringComparison.Ordinal);
        Assert.Contains("covers 2 rows", Assert.Throws<CorruptFileException>(() => TextIndexFile.Check("f", bytes, 3, 77)).Problem, StringComparison.Ordinal);
        byte[] flipped = (byte[])bytes.Clone();
        flipped[40] ^= 1;
        Assert.Contains("checksum", Assert.Throws<CorruptFileException>(() => TextIndexFile.Check("f", flipped, 2, 77)).Problem, StringComparison.Ordinal);
    }
}
