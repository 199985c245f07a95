using System.Runtime.CompilerServices;
using System.Linq.Expressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace VectLite.VectorData;

public partial class VectLiteCollection<TKey, TRecord>
{
    /// <summary>The engine's largest scroll page.</summary>
    private const int MaxScrollPage = 10_000;

    /// <inheritdoc/>
    public override Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        bool includeVectors = CheckIncludeVectors(options?.IncludeVectors ?? false);
        cancellationToken.ThrowIfCancellationRequested();

        RecordId id = VectLiteKeyMapping.ToRecordId(key, _model.KeyProperty.Type);
        IReadOnlyList<Record> found = Run("Get", c => c.GetMany([id], DefaultNamespace, includeVectors));
        return Task.FromResult(found.Count == 0 ? null : ToRecord(found[0], includeVectors));
    }

    /// <summary>Reads the records with these keys in one engine call, in the order asked; missing keys are left out.</summary>
    /// <inheritdoc/>
    public override IAsyncEnumerable<TRecord> GetAsync(IEnumerable<TKey> keys, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        bool includeVectors = CheckIncludeVectors(options?.IncludeVectors ?? false);
        return GetManyCore(keys, includeVectors, cancellationToken).ToAsyncEnumerable();
    }

    /// <summary>
    /// Returns the records matching <paramref name="filter"/>, at most <paramref name="top"/> after skipping
    /// <see cref="FilteredRecordRetrievalOptions{TRecord}.Skip"/>. Without <c>OrderBy</c> the order is by key (numbers
    /// ascending, strings ordinal) and only the records returned are read; with it, every matching record's payload
    /// is read and sorted (nulls first when ascending, strings ordinally).
    /// </summary>
    /// <inheritdoc/>
    public override IAsyncEnumerable<TRecord> GetAsync(Expression<Func<TRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<TRecord>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        options ??= new FilteredRecordRetrievalOptions<TRecord>();
        bool includeVectors = CheckIncludeVectors(options.IncludeVectors);

        Filter? engineFilter = new VectLiteFilterTranslator().Translate(filter, _model);
        var sorts = new List<(PropertyModel Property, bool Ascending)>();
        if (options.OrderBy is { } orderBy)
        {
            foreach (FilteredRecordRetrievalOptions<TRecord>.OrderByDefinition.SortInfo sort in orderBy(new()).Values)
            {
                PropertyModel property = _model.GetDataOrKeyProperty(sort.PropertySelector);
                if (property is VectorPropertyModel || VectLitePayloadCodec.TryGetElementType(property.Type, out _))
                {
                    throw new NotSupportedException($"Cannot order by '{property.ModelName}': only key and scalar data properties have an order.");
                }
                sorts.Add((property, sort.Ascending));
            }
        }

        return sorts.Count == 0
            ? ScrollInKeyOrderAsync(engineFilter, options.Skip, top, includeVectors, cancellationToken)
            : ReadSorted(engineFilter, sorts, options.Skip, top, includeVectors, cancellationToken).ToAsyncEnumerable();
    }

    /// <inheritdoc/>
    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return UpsertAsync([record], cancellationToken);
    }

    /// <summary>
    /// Writes the records as one atomic engine batch (all or none survive a crash). Embeddings are generated first,
    /// one generator call per vector property for the whole batch. Auto-generated Guid keys that are empty get a new
    /// Guid, set on the record.
    /// </summary>
    /// <inheritdoc/>
    public override async Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        IReadOnlyList<TRecord> batch = records as IReadOnlyList<TRecord> ?? [.. records];
        if (batch.Count == 0)
        {
            return;
        }
        for (int i = 0; i < batch.Count; i++)
        {
            if (batch[i] is null)
            {
                throw new ArgumentException($"The record at index {i} is null.", nameof(records));
            }
        }

        IReadOnlyList<Embedding>?[]? generated = null;
        for (int i = 0; i < _model.VectorProperties.Count; i++)
        {
            VectorPropertyModel property = _model.VectorProperties[i];
            if (VectLiteModelBuilder.IsNativeVectorType(property.Type))
            {
                continue;
            }
            IReadOnlyList<Embedding> embeddings = await property
                .GenerateEmbeddingsAsync(batch.Select(r => property.GetValueAsObject(r)), cancellationToken)
                .ConfigureAwait(false);
            if (embeddings.Count != batch.Count)
            {
                throw new InvalidOperationException(
                    $"The embedding generator of vector property '{property.ModelName}' returned {embeddings.Count} embeddings for {batch.Count} records.");
            }
            generated ??= new IReadOnlyList<Embedding>?[_model.VectorProperties.Count];
            generated[i] = embeddings;
        }
        cancellationToken.ThrowIfCancellationRequested();

        KeyPropertyModel keyProperty = _model.KeyProperty;
        var stored = new Record[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            TRecord record = batch[i];
            object? key = keyProperty.GetValueAsObject(record);
            if (keyProperty.IsAutoGenerated && (key is null || (key is Guid guid && guid == Guid.Empty)))
            {
                key = Guid.NewGuid();
                keyProperty.SetValueAsObject(record, key);
            }
            stored[i] = _mapper.ToStorage(record, VectLiteKeyMapping.ToRecordId(key, keyProperty.Type), i, generated);
        }
        await RunAsync("Upsert", c => c.UpsertManyAsync(stored, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return DeleteAsync([key], cancellationToken);
    }

    /// <summary>Deletes the records with these keys as one atomic engine batch; missing keys are ignored.</summary>
    /// <inheritdoc/>
    public override Task DeleteAsync(IEnumerable<TKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        cancellationToken.ThrowIfCancellationRequested();
        RecordId[] ids = [.. keys.Select(k => VectLiteKeyMapping.ToRecordId(k, _model.KeyProperty.Type))];
        if (ids.Length > 0)
        {
            Run("Delete", c => c.DeleteMany(ids, DefaultNamespace));
        }
        return Task.CompletedTask;
    }

    private IEnumerable<TRecord> GetManyCore(IEnumerable<TKey> keys, bool includeVectors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        RecordId[] ids = [.. keys.Select(k => VectLiteKeyMapping.ToRecordId(k, _model.KeyProperty.Type))];
        if (ids.Length == 0)
        {
            yield break;
        }
        foreach (Record record in Run("Get", c => c.GetMany(ids, DefaultNamespace, includeVectors)))
        {
            yield return ToRecord(record, includeVectors);
        }
    }

    /// <summary>
    /// Pages through the engine in id order (<see cref="Collection.ScrollAllAsync"/>), reading pages of at most
    /// <paramref name="skip"/> + <paramref name="top"/> records and stopping once that many matched.
    /// </summary>
    private async IAsyncEnumerable<TRecord> ScrollInKeyOrderAsync(Filter? filter, int skip, int top, bool includeVectors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long wanted = (long)skip + top;
        long seen = 0;
        var scroll = new ScrollOptions
        {
            Limit = (int)Math.Min(MaxScrollPage, wanted),
            Namespace = DefaultNamespace,
            Filter = filter,
            IncludeVectors = includeVectors,
        };
        Collection collection = Run("Get", static c => c);
        await using IAsyncEnumerator<Record> records = collection.ScrollAllAsync(scroll, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (seen < wanted)
        {
            bool more;
            try
            {
                more = await records.MoveNextAsync().ConfigureAwait(false);
            }
            catch (VectLiteException ex)
            {
                throw VectLiteErrors.Wrap(_database.Path, Name, "Get", ex.Message, ex);
            }
            if (!more)
            {
                yield break;
            }
            if (seen++ >= skip)
            {
                yield return ToRecord(records.Current, includeVectors);
            }
        }
    }

    /// <summary>
    /// Reads every matching record's payload (the engine has no order-by), sorts by the requested properties with the
    /// key order as the final tie-break, and reads vectors only for the page returned.
    /// </summary>
    private IEnumerable<TRecord> ReadSorted(Filter? filter, List<(PropertyModel Property, bool Ascending)> sorts, int skip, int top, bool includeVectors, CancellationToken cancellationToken)
    {
        var matches = new List<Record>();
        string? cursor = null;
        do
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scroll = new ScrollOptions { Limit = MaxScrollPage, Cursor = cursor, Namespace = DefaultNamespace, Filter = filter };
            ScrollPage batch = Run("Get", c => c.Scroll(scroll));
            matches.AddRange(batch.Records);
            cursor = batch.NextCursor;
        }
        while (cursor is not null);

        var sortKeys = new object?[matches.Count][];
        for (int i = 0; i < matches.Count; i++)
        {
            sortKeys[i] = [.. sorts.Select(s => SortValue(matches[i], s.Property))];
        }
        int[] order = [.. Enumerable.Range(0, matches.Count)];
        Array.Sort(order, (a, b) =>
        {
            for (int s = 0; s < sorts.Count; s++)
            {
                int c = CompareSortValues(sortKeys[a][s], sortKeys[b][s]);
                if (c != 0)
                {
                    return sorts[s].Ascending ? c : -c;
                }
            }
            return a.CompareTo(b); // scroll order, i.e. by key: makes the sort stable
        });

        Record[] page = [.. order.Skip(skip).Take(top).Select(i => matches[i])];
        if (includeVectors && page.Length > 0)
        {
            page = [.. Run("Get", c => c.GetMany(page.Select(r => r.Id), DefaultNamespace, includeVectors: true))];
        }
        foreach (Record record in page)
        {
            yield return ToRecord(record, includeVectors);
        }
    }

    private object? SortValue(Record record, PropertyModel property) =>
        property is KeyPropertyModel
            ? VectLiteKeyMapping.FromRecordId(record.Id, property.Type)
            : VectLitePayloadCodec.FromJson(record.Payload?[property.StorageName], property.Type, property.StorageName);

    /// <summary>Nulls first; strings ordinally, to agree with the engine's filters; everything else by its own order.</summary>
    private static int CompareSortValues(object? x, object? y) => (x, y) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string a, string b) => string.CompareOrdinal(a, b),
        _ => Comparer<object>.Default.Compare(x, y),
    };

    private TRecord ToRecord(Record record, bool includeVectors) =>
        _mapper.FromStorage(record.Id, record.Payload, includeVectors ? record.Vectors : null);
}
