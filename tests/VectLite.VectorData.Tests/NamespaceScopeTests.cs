using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>
/// MEVD records live in the engine's default namespace: filtered reads, ordered reads and deletes through the
/// connector never see or touch records an engine caller wrote to other namespaces of the same collection.
/// </summary>
public sealed class NamespaceScopeTests : IAsyncLifetime, IDisposable
{
    private readonly TempStore _temp = new();
    private VectLiteCollection<int, Hotel> _hotels = null!;
    private Collection _engine = null!;

    public async Task InitializeAsync()
    {
        _hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        await _hotels.EnsureCollectionExistsAsync();
        await _hotels.UpsertAsync(Enumerable.Range(1, 4).Select(i => new Hotel { Id = i, Name = $"h{i}", Rating = 1, Embedding = new float[] { i, 0, 0, 0 } }));
        _engine = (Collection)_hotels.GetService(typeof(Collection))!;
        // Same ids and a matching payload in another tenant, written through the engine.
        _engine.UpsertMany(Enumerable.Range(1, 6).Select(i => new Record(i, new float[] { i, 0, 0, 0 }, new() { ["Name"] = $"t{i}", ["Rating"] = 1 }) { Namespace = "tenant" }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Filtered_get_reads_only_the_default_namespace()
    {
        var hotels = await _hotels.GetAsync(h => h.Rating == 1, top: 100).ToListAsync();
        Assert.Equal([1, 2, 3, 4], hotels.Select(h => h.Id));
        Assert.Equal(["h1", "h2", "h3", "h4"], hotels.Select(h => h.Name));
    }

    [Fact]
    public async Task Ordered_get_reads_only_the_default_namespace()
    {
        var hotels = await _hotels.GetAsync(h => h.Rating == 1, top: 100, new() { OrderBy = o => o.Descending(h => h.Id) }).ToListAsync();
        Assert.Equal([4, 3, 2, 1], hotels.Select(h => h.Id));
    }

    [Fact]
    public async Task Get_and_delete_by_key_leave_other_namespaces_alone()
    {
        Assert.Null(await _hotels.GetAsync(6));
        await _hotels.DeleteAsync([1, 2, 5]);
        Assert.Equal([3, 4], (await _hotels.GetAsync(h => true, top: 100).ToListAsync()).Select(h => h.Id));
        Assert.Equal(6, _engine.Count(@namespace: "tenant"));
    }

    [Fact]
    public void Engine_DeleteByFilter_on_another_namespace_leaves_the_connector_records()
    {
        Assert.Equal(6, _engine.DeleteByFilter(Filter.Eq("Rating", 1), "tenant"));
        Assert.Equal(4, _engine.Count(@namespace: ""));
        Assert.Equal(0, _engine.Count(@namespace: "tenant"));
    }

    [Fact]
    public async Task Search_finds_only_the_default_namespace()
    {
        var hits = await _hotels.SearchAsync(new float[] { 1, 0, 0, 0 }, top: 20).ToListAsync();
        Assert.Equal([1, 2, 3, 4], hits.Select(h => h.Record.Id).Order());
        Assert.Equal(["h1", "h2", "h3", "h4"], hits.Select(h => h.Record.Name).Order());
    }

    /// <summary>The engine's default namespace is the connector's: an engine call that names none acts on its records.</summary>
    [Fact]
    public void Engine_calls_without_a_namespace_act_on_the_connector_records_only()
    {
        Assert.Equal(4, _engine.Count());
        Assert.Equal(10, _engine.CountAllNamespaces());
        Assert.Equal(4, _engine.DeleteByFilter(Filter.Eq("Rating", 1)));
        Assert.Equal(0, _engine.Count());
        Assert.Equal(6, _engine.Count(@namespace: "tenant"));
    }
}
