using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

public sealed class DependencyInjectionTests : IDisposable
{
    private readonly string _path = TempDirectory.NewPath();

    public void Dispose() => TempDirectory.Delete(_path);

    public static TheoryData<ServiceLifetime, object?> LifetimesAndKeys => new()
    {
        { ServiceLifetime.Singleton, null },
        { ServiceLifetime.Singleton, "key" },
        { ServiceLifetime.Scoped, null },
        { ServiceLifetime.Scoped, 8 },
        { ServiceLifetime.Transient, null },
        { ServiceLifetime.Transient, "key" },
    };

    [Theory]
    [MemberData(nameof(LifetimesAndKeys))]
    public void The_store_is_registered_as_itself_and_as_VectorStore(ServiceLifetime lifetime, object? key)
    {
        var services = new ServiceCollection();
        services.AddKeyedVectLiteVectorStore(key, _path, lifetime: lifetime);
        using ServiceProvider provider = services.BuildServiceProvider();

        Verify<VectLiteVectorStore>(provider, lifetime, key);
        Verify<VectorStore>(provider, lifetime, key);
    }

    [Theory]
    [MemberData(nameof(LifetimesAndKeys))]
    public void The_collection_is_registered_as_itself_and_its_abstractions(ServiceLifetime lifetime, object? key)
    {
        var services = new ServiceCollection();
        services.AddKeyedVectLiteCollection<int, Hotel>(key, "hotels", _path, lifetime: lifetime);
        using ServiceProvider provider = services.BuildServiceProvider();

        Verify<VectLiteCollection<int, Hotel>>(provider, lifetime, key);
        Verify<VectorStoreCollection<int, Hotel>>(provider, lifetime, key);
        Verify<IVectorSearchable<Hotel>>(provider, lifetime, key);
        Verify<IKeywordHybridSearchable<Hotel>>(provider, lifetime, key);
    }

    [Fact]
    public async Task A_registered_store_and_collection_on_one_path_work_together()
    {
        var services = new ServiceCollection();
        services.AddVectLiteVectorStore(_path);
        services.AddVectLiteCollection<int, Hotel>("hotels", _path);

        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            var collection = provider.GetRequiredService<VectorStoreCollection<int, Hotel>>();
            await collection.EnsureCollectionExistsAsync();
            await collection.UpsertAsync(new Hotel { Id = 1, Name = "DI", Embedding = new float[4] });

            var store = provider.GetRequiredService<VectorStore>();
            Assert.Equal("DI", (await store.GetCollection<int, Hotel>("hotels").GetAsync(1))?.Name);
        }

        // Disposing the container closed the database: it can be opened again.
        using var reopened = Database.Open(_path);
        Assert.Equal(["hotels"], reopened.ListCollections());
    }

    [Fact]
    public async Task The_container_embedding_generator_is_used_and_resolved_lazily()
    {
        bool resolved = false;
        var generator = new TestEmbeddingGenerator();
        var services = new ServiceCollection();
        services.AddSingleton<IEmbeddingGenerator>(_ =>
        {
            resolved = true;
            return generator;
        });
        services.AddVectLiteCollection<string, Note>("notes", _path);
        Assert.False(resolved);

        using ServiceProvider provider = services.BuildServiceProvider();
        var notes = provider.GetRequiredService<VectLiteCollection<string, Note>>();
        Assert.True(resolved);

        await notes.EnsureCollectionExistsAsync();
        await notes.UpsertAsync(new Note { Id = "1", Text = "apple" });
        Assert.Equal(1, generator.Calls);
    }

    [Fact]
    public async Task A_generic_embedding_generator_in_the_container_is_found()
    {
        // What AddEmbeddingGenerator and most providers register: the generic interface only.
        var generator = new TestEmbeddingGenerator();
        var services = new ServiceCollection();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generator);
        services.AddVectLiteVectorStore(_path);
        services.AddVectLiteCollection<string, Note>("notes", _path);
        using ServiceProvider provider = services.BuildServiceProvider();

        var notes = provider.GetRequiredService<VectorStoreCollection<string, Note>>();
        await notes.EnsureCollectionExistsAsync();
        await notes.UpsertAsync(new Note { Id = "1", Text = "apple" });
        Assert.Equal(1, generator.Calls);

        var viaStore = provider.GetRequiredService<VectorStore>().GetCollection<string, Note>("notes");
        VectorSearchResult<Note> hit = await viaStore.SearchAsync("apple", top: 1).SingleAsync();
        Assert.Equal("1", hit.Record.Id);
        Assert.Equal(["apple", "apple"], generator.Inputs); // the store's collection embedded the query with it too
    }

    [Fact]
    public async Task The_non_generic_embedding_generator_wins_when_both_are_registered()
    {
        var generic = new TestEmbeddingGenerator();
        var nonGeneric = new TestEmbeddingGenerator();
        var services = new ServiceCollection();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(generic);
        services.AddSingleton<IEmbeddingGenerator>(nonGeneric);
        services.AddVectLiteCollection<string, Note>("notes", _path);
        using ServiceProvider provider = services.BuildServiceProvider();

        var notes = provider.GetRequiredService<VectLiteCollection<string, Note>>();
        await notes.EnsureCollectionExistsAsync();
        await notes.UpsertAsync(new Note { Id = "1", Text = "apple" });
        Assert.Equal((0, 1), (generic.Calls, nonGeneric.Calls)); // as Microsoft's connectors resolve it
    }

    [Theory]
    [MemberData(nameof(LifetimesAndKeys))]
    public void Stores_and_collections_on_a_database_from_the_container_are_registered_with_their_abstractions(ServiceLifetime lifetime, object? key)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => Database.Open(_path));
        services.AddKeyedVectLiteVectorStore(key, sp => sp.GetRequiredService<Database>(), lifetime: lifetime);
        services.AddKeyedVectLiteCollection<int, Hotel>(key, "hotels", sp => sp.GetRequiredService<Database>(), lifetime: lifetime);
        using ServiceProvider provider = services.BuildServiceProvider();

        Verify<VectLiteVectorStore>(provider, lifetime, key);
        Verify<VectorStore>(provider, lifetime, key);
        Verify<VectLiteCollection<int, Hotel>>(provider, lifetime, key);
        Verify<VectorStoreCollection<int, Hotel>>(provider, lifetime, key);
        Verify<IVectorSearchable<Hotel>>(provider, lifetime, key);
        Verify<IKeywordHybridSearchable<Hotel>>(provider, lifetime, key);
    }

    [Fact]
    public async Task The_database_from_the_container_is_used_as_it_is_and_left_to_the_container()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_ => Database.Open(_path, new DatabaseOptions { SyncMode = SyncMode.OnFlush }));
        services.AddVectLiteVectorStore(lifetime: ServiceLifetime.Scoped);
        services.AddVectLiteCollection<int, Hotel>("hotels", lifetime: ServiceLifetime.Scoped);
        Database database;
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            database = provider.GetRequiredService<Database>();
            using (IServiceScope scope = provider.CreateScope())
            {
                var store = scope.ServiceProvider.GetRequiredService<VectorStore>();
                Assert.Same(database, store.GetService(typeof(Database)));
                var hotels = scope.ServiceProvider.GetRequiredService<VectorStoreCollection<int, Hotel>>();
                Assert.Same(database, hotels.GetService(typeof(Database)));
                await hotels.EnsureCollectionExistsAsync();
                await hotels.UpsertAsync(new Hotel { Id = 1, Name = "Scoped", Embedding = new float[4] });
            }

            // The scope disposed its store and collection, not the container's database.
            Assert.Equal(1, database.GetCollection("hotels").Count());
        }
        Assert.Throws<ObjectDisposedException>(() => database.ListCollections()); // the container disposed it
        using var reopened = Database.Open(_path);
        Assert.Equal(1, reopened.GetCollection("hotels").Count());
    }

    [Fact]
    public void Providers_supply_the_path_and_options()
    {
        var services = new ServiceCollection();
        services.AddVectLiteVectorStore(_ => _path, _ => new VectLiteVectorStoreOptions { DatabaseOptions = new DatabaseOptions { SyncMode = SyncMode.OnFlush } });
        using ServiceProvider provider = services.BuildServiceProvider();

        var database = (Database)provider.GetRequiredService<VectorStore>().GetService(typeof(Database))!;
        Assert.Equal(SyncMode.OnFlush, database.SyncMode);
    }

    [Fact]
    public void Arguments_are_validated()
    {
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddVectLiteVectorStore(_path));
        Assert.Throws<ArgumentNullException>(() => ((IServiceCollection)null!).AddVectLiteCollection<int, Hotel>("hotels", _path));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddVectLiteCollection<int, Hotel>(null!, _path));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddVectLiteCollection<int, Hotel>("", _path));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddKeyedVectLiteCollection<int, Hotel>("key", "hotels", " "));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddVectLiteVectorStore(""));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddVectLiteVectorStore((Func<IServiceProvider, Database>)null!));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddVectLiteCollection<int, Hotel>("hotels", (Func<IServiceProvider, Database>)null!));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddVectLiteCollection<int, Hotel>(" ", sp => sp.GetRequiredService<Database>()));
    }

    private static void Verify<TService>(ServiceProvider provider, ServiceLifetime lifetime, object? key)
        where TService : class
    {
        TService first, second, secondAgain;
        using (IServiceScope scope = provider.CreateScope())
        {
            first = Resolve<TService>(scope.ServiceProvider, key);
        }
        using (IServiceScope scope = provider.CreateScope())
        {
            second = Resolve<TService>(scope.ServiceProvider, key);
            secondAgain = Resolve<TService>(scope.ServiceProvider, key);
        }

        switch (lifetime)
        {
            case ServiceLifetime.Singleton:
                Assert.Same(first, second);
                Assert.Same(second, secondAgain);
                break;
            case ServiceLifetime.Scoped:
                Assert.NotSame(first, second);
                Assert.Same(second, secondAgain);
                break;
            default:
                Assert.NotSame(first, second);
                Assert.NotSame(second, secondAgain);
                break;
        }
    }

    private static TService Resolve<TService>(IServiceProvider provider, object? key)
        where TService : notnull =>
        key is null ? provider.GetRequiredService<TService>() : provider.GetRequiredKeyedService<TService>(key);
}
