using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using VectLite;
using VectLite.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers VectLite vector stores and collections on an <see cref="IServiceCollection"/>, in the shape of the other
/// MEVD connectors: the concrete type plus its abstractions (<see cref="VectorStore"/>;
/// <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and
/// <see cref="IKeywordHybridSearchable{TRecord}"/>), optionally keyed,
/// with a chosen lifetime.
/// </summary>
/// <remarks>
/// <para>The database comes from a path (the store or collection opens a handle on it and disposes it), or from the
/// container: a <see cref="Database"/> registered there (or returned by a factory) is used as it is and left to the
/// container to dispose. Stores, collections and <see cref="Database"/> handles of any lifetime on the same directory
/// share one open database (see <see cref="Database.Open"/>), closed when the last of them is disposed; a scoped
/// registration joins it per scope instead of reopening the files.</para>
/// <para>When the options name no embedding generator, one registered in the container is used: the non-generic
/// <see cref="IEmbeddingGenerator"/> (as Microsoft's connectors look for), else
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of string to <see cref="Embedding{T}"/> of float, which is
/// what <c>AddEmbeddingGenerator</c> and most providers register. It is resolved when the store or collection is, not
/// at registration.</para>
/// </remarks>
public static class VectLiteServiceCollectionExtensions
{
    private const string DynamicCodeMessage = "Mapping a CLR record type is not compatible with NativeAOT; register a VectLiteDynamicCollection yourself for dictionary records.";
    private const string UnreferencedCodeMessage = "Mapping a CLR record type is not compatible with trimming; register a VectLiteDynamicCollection yourself for dictionary records.";

    /// <summary>Registers a <see cref="VectLiteVectorStore"/> on the database in <paramref name="path"/>, as itself and as <see cref="VectorStore"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="path">The database directory.</param>
    /// <param name="options">Store options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    public static IServiceCollection AddVectLiteVectorStore(
        this IServiceCollection services, string path, VectLiteVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        AddKeyedVectLiteVectorStore(services, serviceKey: null, path, options, lifetime);

    /// <summary>Registers a keyed <see cref="VectLiteVectorStore"/> on the database in <paramref name="path"/>, as itself and as <see cref="VectorStore"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; null registers an unkeyed service.</param>
    /// <param name="path">The database directory.</param>
    /// <param name="options">Store options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or white space.</exception>
    public static IServiceCollection AddKeyedVectLiteVectorStore(
        this IServiceCollection services, object? serviceKey, string path, VectLiteVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return AddKeyedVectLiteVectorStore(services, serviceKey, _ => path, options is null ? null : _ => options, lifetime);
    }

    /// <summary>Registers a <see cref="VectLiteVectorStore"/> whose path and options come from the service provider.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="pathProvider">Returns the database directory.</param>
    /// <param name="optionsProvider">Returns the store options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="pathProvider"/> is null.</exception>
    public static IServiceCollection AddVectLiteVectorStore(
        this IServiceCollection services,
        Func<IServiceProvider, string> pathProvider,
        Func<IServiceProvider, VectLiteVectorStoreOptions?>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        AddKeyedVectLiteVectorStore(services, serviceKey: null, pathProvider, optionsProvider, lifetime);

    /// <summary>Registers a keyed <see cref="VectLiteVectorStore"/> whose path and options come from the service provider.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; null registers an unkeyed service.</param>
    /// <param name="pathProvider">Returns the database directory.</param>
    /// <param name="optionsProvider">Returns the store options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="pathProvider"/> is null.</exception>
    public static IServiceCollection AddKeyedVectLiteVectorStore(
        this IServiceCollection services,
        object? serviceKey,
        Func<IServiceProvider, string> pathProvider,
        Func<IServiceProvider, VectLiteVectorStoreOptions?>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(pathProvider);

        services.Add(new ServiceDescriptor(typeof(VectLiteVectorStore), serviceKey,
            (sp, _) => new VectLiteVectorStore(pathProvider(sp), StoreOptions(sp, optionsProvider)), lifetime));
        AddStoreAbstraction(services, serviceKey, lifetime);
        return services;
    }

    /// <summary>
    /// Registers a <see cref="VectLiteVectorStore"/> on the <see cref="Database"/> registered in the container, as itself
    /// and as <see cref="VectorStore"/>. The store does not dispose the database: the container does.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Store options (the embedding generator); null for defaults. <see cref="VectLiteVectorStoreOptions.DatabaseOptions"/> is ignored.</param>
    /// <param name="lifetime">The service lifetime; singleton by default. The database's lifetime must be at least as long.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <example><code>
    /// services.AddSingleton(_ =&gt; Database.Open("data/vectors"));
    /// services.AddVectLiteVectorStore();
    /// </code></example>
    public static IServiceCollection AddVectLiteVectorStore(
        this IServiceCollection services, VectLiteVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        AddKeyedVectLiteVectorStore(services, serviceKey: null, static sp => sp.GetRequiredService<Database>(), options is null ? null : _ => options, lifetime);

    /// <summary>Registers a <see cref="VectLiteVectorStore"/> on the <see cref="Database"/> that <paramref name="databaseProvider"/> returns, as itself and as <see cref="VectorStore"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="databaseProvider">Returns the database; whoever opened it disposes it (the store does not).</param>
    /// <param name="optionsProvider">Returns the store options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="databaseProvider"/> is null.</exception>
    public static IServiceCollection AddVectLiteVectorStore(
        this IServiceCollection services,
        Func<IServiceProvider, Database> databaseProvider,
        Func<IServiceProvider, VectLiteVectorStoreOptions?>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        AddKeyedVectLiteVectorStore(services, serviceKey: null, databaseProvider, optionsProvider, lifetime);

    /// <summary>Registers a keyed <see cref="VectLiteVectorStore"/> on the <see cref="Database"/> that <paramref name="databaseProvider"/> returns, as itself and as <see cref="VectorStore"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; null registers an unkeyed service.</param>
    /// <param name="databaseProvider">Returns the database; whoever opened it disposes it (the store does not).</param>
    /// <param name="optionsProvider">Returns the store options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="databaseProvider"/> is null.</exception>
    public static IServiceCollection AddKeyedVectLiteVectorStore(
        this IServiceCollection services,
        object? serviceKey,
        Func<IServiceProvider, Database> databaseProvider,
        Func<IServiceProvider, VectLiteVectorStoreOptions?>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(databaseProvider);

        services.Add(new ServiceDescriptor(typeof(VectLiteVectorStore), serviceKey,
            (sp, _) => new VectLiteVectorStore(databaseProvider(sp), StoreOptions(sp, optionsProvider)), lifetime));
        AddStoreAbstraction(services, serviceKey, lifetime);
        return services;
    }

    /// <summary>
    /// Registers a <see cref="VectLiteCollection{TKey, TRecord}"/> named <paramref name="name"/> in the database in
    /// <paramref name="path"/>, as itself, <see cref="VectorStoreCollection{TKey, TRecord}"/> and
    /// <see cref="IVectorSearchable{TRecord}"/>.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="path">The database directory.</param>
    /// <param name="options">Collection options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="path"/> is empty or white space.</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public static IServiceCollection AddVectLiteCollection<TKey, TRecord>(
        this IServiceCollection services, string name, string path, VectLiteCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class =>
        AddKeyedVectLiteCollection<TKey, TRecord>(services, serviceKey: null, name, path, options, lifetime);

    /// <summary>Registers a keyed <see cref="VectLiteCollection{TKey, TRecord}"/>; see <see cref="AddVectLiteCollection{TKey, TRecord}(IServiceCollection, string, string, VectLiteCollectionOptions?, ServiceLifetime)"/>.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; null registers an unkeyed service.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="path">The database directory.</param>
    /// <param name="options">Collection options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> or <paramref name="path"/> is empty or white space.</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public static IServiceCollection AddKeyedVectLiteCollection<TKey, TRecord>(
        this IServiceCollection services, object? serviceKey, string name, string path, VectLiteCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return AddKeyedVectLiteCollection<TKey, TRecord>(services, serviceKey, name, _ => path, options is null ? null : _ => options, lifetime);
    }

    /// <summary>Registers a <see cref="VectLiteCollection{TKey, TRecord}"/> whose path and options come from the service provider.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="pathProvider">Returns the database directory.</param>
    /// <param name="optionsProvider">Returns the collection options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="pathProvider"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public static IServiceCollection AddVectLiteCollection<TKey, TRecord>(
        this IServiceCollection services,
        string name,
        Func<IServiceProvider, string> pathProvider,
        Func<IServiceProvider, VectLiteCollectionOptions?>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class =>
        AddKeyedVectLiteCollection<TKey, TRecord>(services, serviceKey: null, name, pathProvider, optionsProvider, lifetime);

    /// <summary>Registers a keyed <see cref="VectLiteCollection{TKey, TRecord}"/> whose path and options come from the service provider.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; null registers an unkeyed service.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="pathProvider">Returns the database directory.</param>
    /// <param name="optionsProvider">Returns the collection options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="pathProvider"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public static IServiceCollection AddKeyedVectLiteCollection<TKey, TRecord>(
        this IServiceCollection services,
        object? serviceKey,
        string name,
        Func<IServiceProvider, string> pathProvider,
        Func<IServiceProvider, VectLiteCollectionOptions?>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(pathProvider);

        services.Add(new ServiceDescriptor(typeof(VectLiteCollection<TKey, TRecord>), serviceKey,
            (sp, _) => new VectLiteCollection<TKey, TRecord>(pathProvider(sp), name, CollectionOptions(sp, optionsProvider)), lifetime));
        AddCollectionAbstractions<TKey, TRecord>(services, serviceKey, lifetime);
        return services;
    }

    /// <summary>
    /// Registers a <see cref="VectLiteCollection{TKey, TRecord}"/> named <paramref name="name"/> in the
    /// <see cref="Database"/> registered in the container, as itself, <see cref="VectorStoreCollection{TKey, TRecord}"/> and
    /// <see cref="IVectorSearchable{TRecord}"/>. The collection does
    /// not dispose the database: the container does.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="options">Collection options; null for defaults. <see cref="VectLiteCollectionOptions.DatabaseOptions"/> is ignored.</param>
    /// <param name="lifetime">The service lifetime; singleton by default. The database's lifetime must be at least as long.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="name"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public static IServiceCollection AddVectLiteCollection<TKey, TRecord>(
        this IServiceCollection services, string name, VectLiteCollectionOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class =>
        AddKeyedVectLiteCollection<TKey, TRecord>(services, serviceKey: null, name, static sp => sp.GetRequiredService<Database>(), options is null ? null : _ => options, lifetime);

    /// <summary>
    /// Registers a <see cref="VectLiteCollection{TKey, TRecord}"/> named <paramref name="name"/> in the
    /// <see cref="Database"/> that <paramref name="databaseProvider"/> returns, as itself and its abstractions.
    /// </summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="databaseProvider">Returns the database; whoever opened it disposes it (the collection does not).</param>
    /// <param name="optionsProvider">Returns the collection options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="databaseProvider"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public static IServiceCollection AddVectLiteCollection<TKey, TRecord>(
        this IServiceCollection services,
        string name,
        Func<IServiceProvider, Database> databaseProvider,
        Func<IServiceProvider, VectLiteCollectionOptions?>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class =>
        AddKeyedVectLiteCollection<TKey, TRecord>(services, serviceKey: null, name, databaseProvider, optionsProvider, lifetime);

    /// <summary>Registers a keyed <see cref="VectLiteCollection{TKey, TRecord}"/> in the <see cref="Database"/> that <paramref name="databaseProvider"/> returns.</summary>
    /// <typeparam name="TKey">The key type.</typeparam>
    /// <typeparam name="TRecord">The record type.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="serviceKey">The service key; null registers an unkeyed service.</param>
    /// <param name="name">The collection name.</param>
    /// <param name="databaseProvider">Returns the database; whoever opened it disposes it (the collection does not).</param>
    /// <param name="optionsProvider">Returns the collection options; null for defaults.</param>
    /// <param name="lifetime">The service lifetime; singleton by default.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="name"/> or <paramref name="databaseProvider"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    [RequiresDynamicCode(DynamicCodeMessage)]
    [RequiresUnreferencedCode(UnreferencedCodeMessage)]
    public static IServiceCollection AddKeyedVectLiteCollection<TKey, TRecord>(
        this IServiceCollection services,
        object? serviceKey,
        string name,
        Func<IServiceProvider, Database> databaseProvider,
        Func<IServiceProvider, VectLiteCollectionOptions?>? optionsProvider = null,
        ServiceLifetime lifetime = ServiceLifetime.Singleton)
        where TKey : notnull
        where TRecord : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(databaseProvider);

        services.Add(new ServiceDescriptor(typeof(VectLiteCollection<TKey, TRecord>), serviceKey,
            (sp, _) => new VectLiteCollection<TKey, TRecord>(databaseProvider(sp), name, CollectionOptions(sp, optionsProvider)), lifetime));
        AddCollectionAbstractions<TKey, TRecord>(services, serviceKey, lifetime);
        return services;
    }

    /// <summary>
    /// The embedding generator the container offers: the non-generic <see cref="IEmbeddingGenerator"/> (what MEVD's
    /// connectors resolve), else the generic string-to-float one, which <c>AddEmbeddingGenerator</c> and most
    /// providers register without the non-generic one.
    /// </summary>
    internal static IEmbeddingGenerator? ResolveEmbeddingGenerator(IServiceProvider sp) =>
        sp.GetService<IEmbeddingGenerator>() ?? sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>();

    private static VectLiteVectorStoreOptions? StoreOptions(IServiceProvider sp, Func<IServiceProvider, VectLiteVectorStoreOptions?>? optionsProvider)
    {
        VectLiteVectorStoreOptions? options = optionsProvider?.Invoke(sp);
        return options?.EmbeddingGenerator is null && ResolveEmbeddingGenerator(sp) is { } generator
            ? new VectLiteVectorStoreOptions(options) { EmbeddingGenerator = generator } // a copy: the caller's options object may be shared
            : options;
    }

    private static VectLiteCollectionOptions? CollectionOptions(IServiceProvider sp, Func<IServiceProvider, VectLiteCollectionOptions?>? optionsProvider)
    {
        VectLiteCollectionOptions? options = optionsProvider?.Invoke(sp);
        return options?.EmbeddingGenerator is null && ResolveEmbeddingGenerator(sp) is { } generator
            ? new VectLiteCollectionOptions(options) { EmbeddingGenerator = generator } // a copy: the caller's options object may be shared
            : options;
    }

    private static void AddStoreAbstraction(IServiceCollection services, object? serviceKey, ServiceLifetime lifetime) =>
        services.Add(new ServiceDescriptor(typeof(VectorStore), serviceKey,
            static (sp, key) => sp.GetRequiredKeyedService<VectLiteVectorStore>(key), lifetime));

    private static void AddCollectionAbstractions<TKey, TRecord>(IServiceCollection services, object? serviceKey, ServiceLifetime lifetime)
        where TKey : notnull
        where TRecord : class
    {
        services.Add(new ServiceDescriptor(typeof(VectorStoreCollection<TKey, TRecord>), serviceKey,
            static (sp, key) => sp.GetRequiredKeyedService<VectLiteCollection<TKey, TRecord>>(key), lifetime));
        services.Add(new ServiceDescriptor(typeof(IVectorSearchable<TRecord>), serviceKey,
            static (sp, key) => sp.GetRequiredKeyedService<VectLiteCollection<TKey, TRecord>>(key), lifetime));
        services.Add(new ServiceDescriptor(typeof(IKeywordHybridSearchable<TRecord>), serviceKey,
            static (sp, key) => sp.GetRequiredKeyedService<VectLiteCollection<TKey, TRecord>>(key), lifetime));
    }
}
