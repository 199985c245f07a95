using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

public sealed class SearchTests : IAsyncLifetime, IDisposable
{
    private readonly TempStore _temp = new();
    private VectLiteCollection<int, Hotel> _hotels = null!;

    public async Task InitializeAsync()
    {
        _hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        await _hotels.EnsureCollectionExistsAsync();
        // Euclidean distance from the query [0, 0, 0, 0] is the id.
        await _hotels.UpsertAsync(Enumerable.Range(1, 6).Select(i => new Hotel
        {
            Id = i,
            Name = $"h{i}",
            Rating = i % 3,
            Embedding = new float[] { i, 0, 0, 0 },
        }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Top_returns_the_nearest_first_with_their_scores()
    {
        var hits = await _hotels.SearchAsync(new float[4], top: 3).ToListAsync();

        Assert.Equal([1, 2, 3], hits.Select(h => h.Record.Id));
        Assert.Equal([1.0, 2.0, 3.0], hits.Select(h => h.Score!.Value));
        Assert.Equal("h1", hits[0].Record.Name);
    }

    [Fact]
    public async Task Skip_pages_through_the_ranking()
    {
        var hits = await _hotels.SearchAsync(new float[4], top: 2, new() { Skip = 3 }).ToListAsync();
        Assert.Equal([4, 5], hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Filter_runs_before_top_k()
    {
        var hits = await _hotels.SearchAsync(new float[4], top: 2, new() { Filter = h => h.Rating == 0 }).ToListAsync();
        Assert.Equal([3, 6], hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task Vectors_are_returned_only_when_asked()
    {
        var without = await _hotels.SearchAsync(new float[4], top: 1).SingleAsync();
        Assert.True(without.Record.Embedding.IsEmpty);

        var with = await _hotels.SearchAsync(new float[4], top: 1, new() { IncludeVectors = true }).SingleAsync();
        Assert.Equal(new float[] { 1, 0, 0, 0 }, with.Record.Embedding.ToArray());
    }

    [Fact]
    public async Task Every_native_vector_type_is_a_search_input()
    {
        float[] array = [6, 0, 0, 0];
        Assert.Equal(6, (await _hotels.SearchAsync(array, top: 1).SingleAsync()).Record.Id);
        Assert.Equal(6, (await _hotels.SearchAsync(new ReadOnlyMemory<float>(array), top: 1).SingleAsync()).Record.Id);
        Assert.Equal(6, (await _hotels.SearchAsync(new Embedding<float>(array), top: 1).SingleAsync()).Record.Id);
    }

    [Fact]
    public async Task A_non_vector_input_without_a_generator_is_not_supported()
    {
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => _hotels.SearchAsync("text", top: 1).ToListAsync().AsTask());
        Assert.Contains("no embedding generator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_of_the_wrong_dimension_is_a_VectorStoreException()
    {
        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => _hotels.SearchAsync(new float[3], top: 1).ToListAsync().AsTask());
        Assert.IsType<DimensionMismatchException>(ex.InnerException);
        Assert.Equal("Search", ex.OperationName);
    }

    [Fact]
    public async Task Top_must_be_positive()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _hotels.SearchAsync(new float[4], top: 0).ToListAsync().AsTask());
    }

    [Fact]
    public async Task Search_ignores_records_in_other_engine_namespaces()
    {
        var engine = (Collection)_hotels.GetService(typeof(Collection))!;
        engine.Upsert(new Record(100, new float[4]) { Namespace = "tenant" });

        var hits = await _hotels.SearchAsync(new float[4], top: 10).ToListAsync();

        Assert.DoesNotContain(hits, h => h.Record.Id == 100);
        Assert.Equal(6, hits.Count);
    }
}
