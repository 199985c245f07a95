using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>
/// Index kind Flat is exact: it scans the vectors and never consults the HNSW graph. The proof uses the one moment the
/// graph knowingly lags the data: inside an engine bulk load, records already committed are visible to reads but not
/// yet in the graph (<see cref="Collection.UpsertBulk"/>). A Flat search finds them; an Hnsw search does not.
/// </summary>
public sealed class FlatIndexTests : IDisposable
{
    // Past the planner's exact-scan bound (4,096 rows), so an Hnsw search really walks the graph.
    private const int Preloaded = 4200;
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public sealed class FlatPoint
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance, IndexKind = IndexKind.Flat)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }

    public sealed class HnswPoint
    {
        [VectorStoreKey]
        public int Id { get; set; }

        [VectorStoreVector(2, DistanceFunction = DistanceFunction.EuclideanDistance, IndexKind = IndexKind.Hnsw)]
        public ReadOnlyMemory<float> Vector { get; set; }
    }

    [Fact]
    public async Task Flat_finds_records_the_graph_does_not_have_yet()
    {
        // Two views of one engine collection that differ only in index kind.
        var flat = _temp.Store.GetCollection<int, FlatPoint>("points");
        var hnsw = _temp.Store.GetCollection<int, HnswPoint>("points");
        await flat.EnsureCollectionExistsAsync();
        var random = new Random(77);
        for (int from = 0; from < Preloaded; from += 600)
        {
            await flat.UpsertAsync(Enumerable.Range(from, 600).Select(i => new FlatPoint { Id = i, Vector = new float[] { random.NextSingle(), random.NextSingle() } }));
        }
        var engine = (Collection)flat.GetService(typeof(Collection))!;
        Assert.Equal(Preloaded, engine.GetStats().VectorIndexes[0].Nodes);

        // Far from the preloaded points in [0, 1)^2: the nearest record to (10, 10) is id Preloaded, at distance 0.
        float[] query = [10, 10];
        int? flatTop = null, hnswTop = null;
        IEnumerable<Record> Load()
        {
            for (int i = 0; i < 100; i++)
            {
                if (i == 50)
                {
                    // The first batch (ids Preloaded..Preloaded+49) is committed; the graph gets it when the load ends.
                    flatTop = flat.SearchAsync(query, top: 1).ToListAsync().AsTask().GetAwaiter().GetResult().Single().Record.Id;
                    hnswTop = hnsw.SearchAsync(query, top: 1).ToListAsync().AsTask().GetAwaiter().GetResult().Single().Record.Id;
                }
                yield return new Record(Preloaded + i, new float[] { 10 + i, 10 });
            }
        }
        Assert.Equal(100, engine.UpsertBulk(Load(), batchSize: 50));

        Assert.Equal(Preloaded, flatTop);
        Assert.True(hnswTop < Preloaded, $"the Hnsw view found {hnswTop}: the graph was not behind, so this proves nothing");
        // Once the load ends the graph has caught up, and both agree.
        Assert.Equal(Preloaded, (await hnsw.SearchAsync(query, top: 1).SingleAsync()).Record.Id);
    }
}
