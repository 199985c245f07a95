using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>GetAsync(filter, top, options): top, skip, order by, vectors.</summary>
public sealed class FilteredGetTests : IAsyncLifetime, IDisposable
{
    private readonly TempStore _temp = new();
    private VectLiteCollection<int, Hotel> _hotels = null!;

    public async Task InitializeAsync()
    {
        _hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        await _hotels.EnsureCollectionExistsAsync();
        await _hotels.UpsertAsync([
            new Hotel { Id = 5, Name = "b", Rating = 3, Price = 10, Stars = 2, Embedding = new float[] { 5, 0, 0, 0 } },
            new Hotel { Id = 1, Name = "a", Rating = 3, Price = 30, Stars = null, Embedding = new float[] { 1, 0, 0, 0 } },
            new Hotel { Id = 3, Name = "B", Rating = 1, Price = 20, Stars = 1, Embedding = new float[] { 3, 0, 0, 0 } },
            new Hotel { Id = 2, Name = "c", Rating = 2, Price = 40, Stars = null, Embedding = new float[] { 2, 0, 0, 0 } },
            new Hotel { Id = 4, Name = "d", Rating = 5, Price = 50, Stars = 5, Embedding = new float[] { 4, 0, 0, 0 } },
        ]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Without_order_by_records_come_in_key_order_with_top_and_skip()
    {
        Assert.Equal(new[] { 1, 2, 3 }, await Ids(h => true, top: 3));
        Assert.Equal(new[] { 3, 4 }, await Ids(h => true, top: 2, new() { Skip = 2 }));
        Assert.Equal(new[] { 5 }, await Ids(h => h.Rating == 3, top: 5, new() { Skip = 1 }));
        Assert.Empty(await Ids(h => true, top: 5, new() { Skip = 10 }));
    }

    [Fact]
    public async Task Order_by_ascending_and_descending()
    {
        Assert.Equal(new[] { 5, 3, 1, 2, 4 }, await Ids(h => true, top: 10, new() { OrderBy = o => o.Ascending(h => h.Price) }));
        Assert.Equal(new[] { 4, 2, 1, 3, 5 }, await Ids(h => true, top: 10, new() { OrderBy = o => o.Descending(h => h.Price) }));
    }

    [Fact]
    public async Task Order_by_then_by_with_skip_and_top()
    {
        var options = new FilteredRecordRetrievalOptions<Hotel>
        {
            OrderBy = o => o.Descending(h => h.Rating).Ascending(h => h.Price),
            Skip = 1,
        };
        Assert.Equal(new[] { 5, 1, 2 }, await Ids(h => h.Id != 99, top: 3, options));
    }

    [Fact]
    public async Task Order_by_puts_nulls_first_and_compares_strings_ordinally()
    {
        Assert.Equal(new[] { 1, 2, 3, 5, 4 }, await Ids(h => true, top: 10, new() { OrderBy = o => o.Ascending(h => h.Stars).Ascending(h => h.Id) }));
        Assert.Equal(new[] { 3, 1, 5, 2, 4 }, await Ids(h => true, top: 10, new() { OrderBy = o => o.Ascending(h => h.Name) })); // "B" < "a"
    }

    [Fact]
    public async Task Order_by_the_key()
    {
        Assert.Equal(new[] { 5, 4, 3 }, await Ids(h => true, top: 3, new() { OrderBy = o => o.Descending(h => h.Id) }));
    }

    [Fact]
    public async Task Order_by_with_a_filter_reads_vectors_for_the_page_only_when_asked()
    {
        var page = await _hotels.GetAsync(h => h.Price >= 20, top: 2, new() { OrderBy = o => o.Ascending(h => h.Price), IncludeVectors = true }).ToListAsync();

        Assert.Equal([3, 1], page.Select(h => h.Id));
        Assert.Equal(new float[] { 3, 0, 0, 0 }, page[0].Embedding.ToArray());
        Assert.True((await _hotels.GetAsync(h => true, top: 1).SingleAsync()).Embedding.IsEmpty);
    }

    [Fact]
    public void Ordering_by_a_vector_or_an_array_is_rejected()
    {
        Assert.Throws<NotSupportedException>(() => _hotels.GetAsync(h => true, top: 1, new() { OrderBy = o => o.Ascending(h => h.Embedding) }));
        Assert.Throws<NotSupportedException>(() => _hotels.GetAsync(h => true, top: 1, new() { OrderBy = o => o.Ascending(h => h.Tags) }));
    }

    [Fact]
    public void Top_must_be_positive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => _hotels.GetAsync(h => true, top: 0));

    private async Task<int[]> Ids(System.Linq.Expressions.Expression<Func<Hotel, bool>> filter, int top, FilteredRecordRetrievalOptions<Hotel>? options = null) =>
        [.. (await _hotels.GetAsync(filter, top, options).ToListAsync()).Select(h => h.Id)];
}
