using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>IKeywordHybridSearchable: keywords against the full-text-indexed property, the vector against the vector property, fused by RRF in the engine.</summary>
public sealed class HybridSearchTests : IAsyncLifetime, IDisposable
{
    private readonly TempStore _temp = new();
    private VectLiteCollection<int, Article> _articles = null!;

    public sealed class Article
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreData(IsFullTextIndexed = true)]
        public string Text { get; set; } = "";

        [VectorStoreData(IsIndexed = true)]
        public string Lang { get; set; } = "";

        [VectorStoreVector(2, DistanceFunction = DistanceFunction.CosineSimilarity)]
        public ReadOnlyMemory<float> Embedding { get; set; }
    }

    public sealed class TwoTexts
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreData(IsFullTextIndexed = true)]
        public string Title { get; set; } = "";

        [VectorStoreData(IsFullTextIndexed = true)]
        public string Body { get; set; } = "";

        [VectorStoreVector(2)]
        public ReadOnlyMemory<float> Embedding { get; set; }
    }

    public async Task InitializeAsync()
    {
        _articles = _temp.Store.GetCollection<int, Article>("articles");
        await _articles.EnsureCollectionExistsAsync();
        await _articles.UpsertAsync(
        [
            new Article { Id = 1, Text = "Sailing boats on the lake", Lang = "en", Embedding = new float[] { 1, 0 } },
            new Article { Id = 2, Text = "Cats and their sleeping habits", Lang = "en", Embedding = new float[] { 0, 1 } },
            new Article { Id = 3, Text = "A cat sleeps on a boat", Lang = "en", Embedding = new float[] { 0.9f, 0.2f } },
            new Article { Id = 4, Text = "Katzen schlafen viel; cats", Lang = "de", Embedding = new float[] { 0.1f, 1 } },
        ]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Keyword_and_vector_lists_are_fused_by_reciprocal_rank()
    {
        IKeywordHybridSearchable<Article> searchable = _articles;
        var hits = await searchable.HybridSearchAsync(new float[] { 1, 0 }, ["cats", "sleeping"], top: 4).ToListAsync();

        // Vector ranks: 1, 3, 4, 2. Keyword ranks (BM25 on cat/sleep): 2 (both terms, dl 4), 3 (both, dl 4 but "boat" too)...
        // Record 3 is second in both lists and beats 1 (first in the vector list only) and 2 (first in the keyword list only).
        Assert.Equal(3, hits[0].Record.Id);
        Assert.Equal(4, hits.Count);
        Assert.Equal((1.0 / 62) + (1.0 / 62), hits[0].Score!.Value, 5);
        Assert.Equal("A cat sleeps on a boat", hits[0].Record.Text);
    }

    [Fact]
    public async Task A_record_only_the_keywords_find_is_a_hit()
    {
        var hits = await _articles.HybridSearchAsync(new float[] { 1, 0 }, ["katzen"], top: 10).ToListAsync();
        SearchHitScore(hits, 4, (1.0 / 61) + (1.0 / 63)); // keyword rank 1, vector rank 3
        Assert.Contains(hits, h => h.Record.Id == 2); // found by the vector list only, still fused in
    }

    [Fact]
    public async Task The_filter_applies_to_both_lists_and_skip_pages()
    {
        var hits = await _articles.HybridSearchAsync(new float[] { 1, 0 }, ["cats"], top: 10, new() { Filter = a => a.Lang == "de" }).ToListAsync();
        Assert.Equal([4], hits.Select(h => h.Record.Id));

        var all = await _articles.HybridSearchAsync(new float[] { 1, 0 }, ["cats"], top: 10).ToListAsync();
        var paged = await _articles.HybridSearchAsync(new float[] { 1, 0 }, ["cats"], top: 2, new() { Skip = 1 }).ToListAsync();
        Assert.Equal(all.Skip(1).Take(2).Select(h => h.Record.Id), paged.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Query_syntax_in_keywords_is_taken_literally()
    {
        var hits = await _articles.HybridSearchAsync(new float[] { 0, 1 }, ["-boats", "\"lake"], top: 10, new() { ScoreThreshold = 0.02 }).ToListAsync();
        Assert.Equal(1, hits[0].Record.Id); // "-boats" was not an exclusion: record 1 holds boats and lake
    }

    [Fact]
    public async Task EnsureCollectionExists_creates_the_text_index_and_the_property_must_be_unambiguous()
    {
        var engine = (Collection)_articles.GetService(typeof(Collection))!;
        Assert.Equal(["Text"], engine.TextIndexes["mevd_Text"].Fields);

        var two = _temp.Store.GetCollection<int, TwoTexts>("two");
        await two.EnsureCollectionExistsAsync();
        await two.UpsertAsync(new TwoTexts { Id = 1, Title = "alpha", Body = "beta", Embedding = new float[] { 1, 0 } });
        await Assert.ThrowsAsync<InvalidOperationException>(() => two.HybridSearchAsync(new float[] { 1, 0 }, ["beta"], 1).ToListAsync().AsTask());
        var hit = await two.HybridSearchAsync(new float[] { 1, 0 }, ["beta"], 1, new() { AdditionalProperty = t => t.Body }).SingleAsync();
        Assert.Equal((1.0 / 61) + (1.0 / 61), hit.Score!.Value, 5);
        var none = await two.HybridSearchAsync(new float[] { 1, 0 }, ["beta"], 1, new() { AdditionalProperty = t => t.Title }).SingleAsync();
        Assert.Equal(1.0 / 61, none.Score!.Value, 5); // "beta" is not in the title: the vector list alone
    }

    [Fact]
    public async Task The_dynamic_collection_searches_hybrid_too()
    {
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(string)),
                new VectorStoreDataProperty("Text", typeof(string)) { IsFullTextIndexed = true },
                new VectorStoreVectorProperty("Embedding", typeof(ReadOnlyMemory<float>), 2),
            ],
        };
        var dynamic = _temp.Store.GetDynamicCollection("dyn", definition);
        await dynamic.EnsureCollectionExistsAsync();
        await dynamic.UpsertAsync(new Dictionary<string, object?> { ["Id"] = "a", ["Text"] = "hello world", ["Embedding"] = new ReadOnlyMemory<float>([1f, 0f]) });
        var hit = await ((IKeywordHybridSearchable<Dictionary<string, object?>>)dynamic).HybridSearchAsync(new float[] { 1, 0 }, ["worlds"], 1).SingleAsync();
        Assert.Equal("a", hit.Record["Id"]);
    }

    private static void SearchHitScore(List<VectorSearchResult<Article>> hits, int id, double score)
    {
        VectorSearchResult<Article> hit = Assert.Single(hits, h => h.Record.Id == id);
        Assert.Equal(score, hit.Score!.Value, 5);
    }
}
