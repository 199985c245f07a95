using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

public sealed class KeyTypeTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public Task Int_keys_round_trip_as_numeric_record_ids() => RoundTrip(42, 43, new RecordId(42UL));

    [Fact]
    public Task Long_keys_round_trip_as_numeric_record_ids() => RoundTrip(long.MaxValue, 0L, new RecordId((ulong)long.MaxValue));

    [Fact]
    public Task String_keys_round_trip_as_string_record_ids() => RoundTrip("doc-1", "doc-2", new RecordId("doc-1"));

    [Fact]
    public Task Guid_keys_round_trip_as_D_form_string_record_ids()
    {
        var key = new Guid("603840bf-cf91-4521-8b8e-8b6a2e75910a");
        return RoundTrip(key, Guid.NewGuid(), new RecordId("603840bf-cf91-4521-8b8e-8b6a2e75910a"));
    }

    [Fact]
    public async Task Negative_integer_keys_are_rejected_with_the_reason()
    {
        var ints = await Create<int>();
        var longs = await Create<long>();

        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ints.UpsertAsync(new KeyedRecord<int> { Key = -1, Vector = [1, 0] }));
        Assert.Contains("must not be negative", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => longs.GetAsync(-5L));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => longs.DeleteAsync(long.MinValue));
    }

    [Fact]
    public async Task An_empty_string_key_is_an_argument_error()
    {
        var strings = await Create<string>();
        await Assert.ThrowsAsync<ArgumentException>(() => strings.UpsertAsync(new KeyedRecord<string> { Key = "", Vector = [1, 0] }));
    }

    [Fact]
    public async Task An_empty_auto_generated_Guid_key_gets_a_new_Guid_set_on_the_record()
    {
        var guids = await Create<Guid>();
        var record = new KeyedRecord<Guid> { Text = "generated", Vector = [1, 0] };

        await guids.UpsertAsync(record);

        Assert.NotEqual(Guid.Empty, record.Key);
        Assert.Equal("generated", (await guids.GetAsync(record.Key))?.Text);
    }

    [Fact]
    public void A_collection_whose_key_type_differs_from_the_key_property_is_rejected()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => _temp.Store.GetCollection<long, KeyedRecord<int>>("wrong"));
        Assert.Contains("generic key type", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsupported_key_types_are_rejected_when_the_collection_is_created()
    {
        var ex = Assert.Throws<NotSupportedException>(() => _temp.Store.GetCollection<ulong, KeyedRecord<ulong>>("ulongs"));
        Assert.Contains("int, long, string, Guid", ex.Message, StringComparison.Ordinal);
    }

    private async Task RoundTrip<TKey>(TKey key, TKey otherKey, RecordId expectedId)
        where TKey : notnull
    {
        var collection = await Create<TKey>();
        await collection.UpsertAsync([
            new KeyedRecord<TKey> { Key = key, Text = "main", Vector = [1, 2] },
            new KeyedRecord<TKey> { Key = otherKey, Text = "other", Vector = [3, 4] },
        ]);

        KeyedRecord<TKey>? read = await collection.GetAsync(key, new RecordRetrievalOptions { IncludeVectors = true });
        Assert.NotNull(read);
        Assert.Equal(key, read.Key);
        Assert.Equal("main", read.Text);
        Assert.Equal([1f, 2f], read.Vector!);

        var engine = (Collection)collection.GetService(typeof(Collection))!;
        Assert.NotNull(engine.Get(expectedId));

        var hits = await collection.SearchAsync(new float[] { 1, 0 }, top: 2).ToListAsync();
        Assert.Equal([otherKey, key], hits.Select(h => h.Record.Key));

        // r => r.Key == key, built by hand because == does not compile on an unconstrained TKey.
        var r = Expression.Parameter(typeof(KeyedRecord<TKey>), "r");
        var byKey = Expression.Lambda<Func<KeyedRecord<TKey>, bool>>(
            Expression.Equal(Expression.Property(r, nameof(KeyedRecord<TKey>.Key)), Expression.Constant(key, typeof(TKey))), r);
        var filtered = await collection.GetAsync(byKey, top: 5).ToListAsync();
        Assert.Equal("main", Assert.Single(filtered).Text);

        await collection.DeleteAsync(key);
        Assert.Null(await collection.GetAsync(key));
        Assert.NotNull(await collection.GetAsync(otherKey));
    }

    private async Task<VectLiteCollection<TKey, KeyedRecord<TKey>>> Create<TKey>()
        where TKey : notnull
    {
        var collection = _temp.Store.GetCollection<TKey, KeyedRecord<TKey>>("keys-" + typeof(TKey).Name.ToLowerInvariant());
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }
}
