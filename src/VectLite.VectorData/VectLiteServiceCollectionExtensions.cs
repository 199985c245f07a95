using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using VectLite.VectorData;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers VectLite vector stores and collections on an <see cref="IServiceCollection"/>, in the shape of the other
/// MEVD connectors: the concrete type plus its abstractions (<see cref="VectorStore"/>;
/// <see cref="VectorStoreCollection{TKey, TRecord}"/>, <see cref="IVectorSearchable{TRecord}"/> and
/// <see cref="IKeywordHybridSearchable{TRecord}"/>), optionally keyed, with a chosen lifetime.
/// </summary>
/// <remarks>
/// When the options name no embedding generator, an <see cref="IEmbeddingGenerator"/> registered in the container is
/// used; it is resolved when the store or collection is, not at registration. Stores and collections of any lifetime
/// that name the same directory share one open database, closed when the last of them is disposed.
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

        services.Add(new ServiceDescriptor(typeof(VectLiteVectorStore), serviceKey, (sp, _) =>
        {
            VectLiteVectorStoreOptions? options = optionsProvider?.Invoke(sp);
            if (options?.EmbeddingGenerator is null && sp.GetService<IEmbeddingGenerator>() is { } generator)
            {
                // A copy: the caller's options object may be shared.
                options = new VectLiteVectorStoreOptions(options) { EmbeddingGenerator = generator };
            }
            return new VectLiteVectorStore(pathProvider(sp), options);
        }, lifetime));
        services.Add(new ServiceDescriptor(typeof(VectorStore), serviceKey,
            static (sp, key) => sp.GetRequiredKeyedService<VectLiteVectorStore>(key), lifetime));
        return services;
    }

    /// <summary>
    /// Registers a <see cref="VectLiteCollection{TKey, TRecord}"/> named <paramref name="name"/> in the database in
    /// <paramref name="path"/>, as itself, <see cref="VectorStoreCollection{TKey, TRecord}"/>,
    /// <see cref="IVectorSearchable{TRecord}"/> and <see cref="IKeywordHybridSearchable{TRecord}"/>.
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

        services.Add(new ServiceDescriptor(typeof(VectLiteCollection<TKey, TRecord>), serviceKey, (sp, _) =>
        {
            VectLiteCollectionOptions? options = optionsProvider?.Invoke(sp);
            if (options?.EmbeddingGenerator is null && sp.GetService<IEmbeddingGenerator>() is { } generator)
            {
                // A copy: the caller's options object may be shared.
                options = new VectLiteCollectionOptions(options) { EmbeddingGenerator = generator };
            }
            return new VectLiteCollection<TKey, TRecord>(pathProvider(sp), name, options);
        }, lifetime));
        services.Add(new ServiceDescriptor(typeof(VectorStoreCollection<TKey, TRecord>), serviceKey,
            static (sp, key) => sp.GetRequiredKeyedService<VectLiteCollection<TKey, TRecord>>(key), lifetime));
        services.Add(new ServiceDescriptor(typeof(IVectorSearchable<TRecord>), serviceKey,
            static (sp, key) => sp.GetRequiredKeyedService<VectLiteCollection<TKey, TRecord>>(key), lifetime));
        services.Add(new ServiceDescriptor(typeof(IKeywordHybridSearchable<TRecord>), serviceKey,
            static (sp, key) => sp.GetRequiredKeyedService<VectLiteCollection<TKey, TRecord>>(key), lifetime));
        return services;
    }
}
