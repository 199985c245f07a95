using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>Upsert, get and delete, one record and many.</summary>
public sealed class RecordTests : IAsyncLifetime, IDisposable
{
    private readonly TempStore _temp = new();
    private VectLiteCollection<int, Hotel> _hotels = null!;

    public async Task InitializeAsync()
    {
        _hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        await _hotels.EnsureCollectionExistsAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Cancelled_calls_write_nothing_and_filtered_gets_stop_between_pages()
    {
        var cancelled = new CancellationToken(canceled: true);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _hotels.UpsertAsync([new Hotel { Id = 1, Embedding = new float[4] }], cancelled));
        Assert.Null(await _hotels.GetAsync(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _hotels.SearchAsync(new float[4], top: 1, cancellationToken: cancelled).ToListAsync().AsTask());

        await _hotels.UpsertAsync(Enumerable.Range(1, 30).Select(i => new Hotel { Id = i, Rating = 3, Embedding = new float[] { i, 1, 0, 0 } }));
        Assert.Equal(Enumerable.Range(6, 20), await _hotels.GetAsync(h => h.Rating == 3, top: 20, new() { Skip = 5 }).Select(h => h.Id).ToListAsync());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _hotels.GetAsync(h => h.Rating == 3, top: 20, cancellationToken: cancelled).ToListAsync().AsTask());
    }

    [Fact]
    public async Task Upsert_then_get_returns_every_property()
    {
        var hotel = new Hotel
        {
            Id = 1, Name = "Grand", Rating = 5, Price = 300.5, IsOpen = true, Tags = ["pool"], Floors = [1, 2], Stars = 4,
            Opened = new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero), Inspected = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc),
            Embedding = new float[] { 1, 2, 3, 4 },
        };
        await _hotels.UpsertAsync(hotel);

        Hotel read = (await _hotels.GetAsync(1, new RecordRetrievalOptions { IncludeVectors = true }))!;

        Assert.Equal(hotel.Name, read.Name);
        Assert.Equal(hotel.Rating, read.Rating);
        Assert.Equal(hotel.Price, read.Price);
        Assert.Equal(hotel.IsOpen, read.IsOpen);
        Assert.Equal(hotel.Tags, read.Tags);
        Assert.Equal(hotel.Floors, read.Floors);
        Assert.Equal(hotel.Stars, read.Stars);
        Assert.Equal(hotel.Opened, read.Opened);
        Assert.Equal(hotel.Inspected, read.Inspected);
        Assert.Equal(hotel.Embedding.ToArray(), read.Embedding.ToArray());
    }

    [Fact]
    public async Task Get_without_IncludeVectors_leaves_vectors_empty()
    {
        await _hotels.UpsertAsync(new Hotel { Id = 1, Embedding = new float[] { 1, 2, 3, 4 } });
        Assert.True((await _hotels.GetAsync(1))!.Embedding.IsEmpty);
    }

    [Fact]
    public async Task Upsert_replaces_an_existing_record()
    {
        await _hotels.UpsertAsync(new Hotel { Id = 1, Name = "Old", Embedding = new float[4] });
        await _hotels.UpsertAsync(new Hotel { Id = 1, Name = "New", Embedding = new float[4] });

        Assert.Equal("New", (await _hotels.GetAsync(1))?.Name);
        Assert.Single(await _hotels.GetAsync(h => true, top: 10).ToListAsync());
    }

    [Fact]
    public async Task Upsert_many_writes_the_batch_and_the_last_duplicate_wins()
    {
        await _hotels.UpsertAsync([
            new Hotel { Id = 1, Name = "first", Embedding = new float[4] },
            new Hotel { Id = 2, Name = "two", Embedding = new float[4] },
            new Hotel { Id = 1, Name = "second", Embedding = new float[4] },
        ]);

        Assert.Equal("second", (await _hotels.GetAsync(1))?.Name);
        Assert.Equal("two", (await _hotels.GetAsync(2))?.Name);
    }

    [Fact]
    public async Task A_failing_batch_writes_nothing()
    {
        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => _hotels.UpsertAsync([
            new Hotel { Id = 1, Embedding = new float[4] },
            new Hotel { Id = 2, Embedding = new float[3] },
        ]));

        Assert.IsType<DimensionMismatchException>(ex.InnerException);
        Assert.Equal("Upsert", ex.OperationName);
        Assert.Null(await _hotels.GetAsync(1));
    }

    [Fact]
    public async Task Get_many_returns_found_records_in_the_order_asked()
    {
        await _hotels.UpsertAsync(new[] { 1, 2, 3 }.Select(i => new Hotel { Id = i, Name = $"h{i}", Embedding = new float[4] }));

        var found = await _hotels.GetAsync([3, 99, 1]).ToListAsync();

        Assert.Equal([3, 1], found.Select(h => h.Id));
        Assert.Equal("h3", found[0].Name);
    }

    [Fact]
    public async Task Get_of_a_missing_key_returns_null()
    {
        Assert.Null(await _hotels.GetAsync(404));
    }

    [Fact]
    public async Task Delete_one_and_many_and_ignore_missing_keys()
    {
        await _hotels.UpsertAsync(new[] { 1, 2, 3, 4 }.Select(i => new Hotel { Id = i, Embedding = new float[4] }));

        await _hotels.DeleteAsync(1);
        await _hotels.DeleteAsync([2, 3, 404]);
        await _hotels.DeleteAsync(1);

        Assert.Equal([4], (await _hotels.GetAsync(h => true, top: 10).ToListAsync()).Select(h => h.Id));
    }

    [Fact]
    public async Task Null_arguments_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => _hotels.UpsertAsync((Hotel)null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => _hotels.UpsertAsync((IEnumerable<Hotel>)null!));
        await Assert.ThrowsAsync<ArgumentException>(() => _hotels.UpsertAsync([null!]));
        Assert.Throws<ArgumentNullException>(() => _hotels.GetAsync((IEnumerable<int>)null!));
    }
}
