using VectLite.Records;
using VectLite.Search;
using VectLite.Storage;
using VectLite.Text;

namespace VectLite;

/// <summary>Full-text indexes and BM25 search: the routing; analysis, postings and scoring live in Text/.</summary>
internal sealed partial class CollectionEngine
{
    /// <summary>
    /// Creates a full-text (BM25) index named <paramref name="name"/> over the payload fields of
    /// <paramref name="options"/>, fills it from the existing records, and keeps it current on every write, delete and
    /// expiry. Creating an index that exists with the same definition does nothing.
    /// </summary>
    /// <exception cref="InvalidNameException">The name breaks the naming rules (those of vector names).</exception>
    /// <exception cref="SchemaException">The definition is invalid (no field, bad path, unknown analyzer or language,
    /// k1 or b out of range), an index of that name exists with another definition, or an existing record holds a
    /// non-string value in an indexed field.</exception>
    public void CreateTextIndex(string name, TextIndexOptions options)
    {
        TextIndexDefinition definition = TextIndexDefinition.Create(name, options);
        lock (_writeLock)
        {
            ThrowIfNotWritable("create a text index");
            CollectionState state = _state;
            if (state.FindTextIndex(name) is { } existing)
            {
                if (SameDefinition(existing.Definition, definition))
                {
                    return;
                }
                throw new SchemaException($"Collection '{Name}' already has a text index '{name}' with another definition; drop it first.");
            }
            var probe = new TextIndex(definition, "probe");
            Snapshot snapshot = state.Published;
            long now = DateTime.UtcNow.Ticks;
            for (int row = 0; row < snapshot.RowCount; row++)
            {
                if (state.IsVisible(row, snapshot, now) && probe.Check(state.Row(row).Payload) is { } problem)
                {
                    throw new SchemaException($"Cannot create text index '{name}': record {state.Row(row).Id}'s {problem}.");
                }
            }
            Commit([WalOperation.CreateTextIndex(definition)]);
        }
    }

    /// <summary>Removes the text index named <paramref name="name"/>; false if there is none.</summary>
    public bool DropTextIndex(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        lock (_writeLock)
        {
            ThrowIfNotWritable("drop a text index");
            if (_state.FindTextIndex(name) is null)
            {
                return false;
            }
            Commit([WalOperation.DropTextIndex(name)]);
            return true;
        }
    }

    /// <summary>The text indexes by name, with their definitions.</summary>
    public IReadOnlyDictionary<string, TextIndexOptions> TextIndexes
    {
        get
        {
            ThrowIfUnusable();
            return Volatile.Read(ref _state).TextIndexes.ToDictionary(t => t.Definition.Name, t => t.Definition.ToOptions(), StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Full-text search: the records whose indexed text best matches <paramref name="query"/> by BM25, best first.
    /// Scores are BM25 scores (higher is better, unbounded, comparable only within one index).
    /// </summary>
    /// <remarks>
    /// Query syntax: words are OR-ed; <c>+word</c> must appear, <c>-word</c> must not; <c>"a phrase"</c> must appear in
    /// order, <c>-"a phrase"</c> must not. The query is analyzed with the index's chain. The namespace, filter and
    /// visibility rules are those of <see cref="Search(ReadOnlySpan{float}, SearchOptions?)"/>. Statistics (N, document frequencies, average length) are those
    /// of the whole collection's live records, across namespaces.
    /// </remarks>
    /// <exception cref="SchemaException">The collection has no text index of that name.</exception>
    /// <exception cref="ArgumentOutOfRangeException">TopK outside 1..<see cref="MaxSearchResults"/>.</exception>
    /// <exception cref="ArgumentException"><see cref="TextSearchOptions.AllNamespaces"/> with a non-null namespace.</exception>
    public IReadOnlyList<SearchHit> SearchText(string index, string query, TextSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(query);
        options ??= new TextSearchOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.TopK, 1, "options.TopK");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.TopK, MaxSearchResults, "options.TopK");
        NamespaceScope scope = ScopeOf(options.Namespace, options.AllNamespaces, nameof(TextSearchOptions));
        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            TextIndex text = ResolveTextIndex(state, index);
            return SearchTextIn(state, state.Published, DateTime.UtcNow.Ticks, text, scope, query, options.TopK, options.Filter, options.IncludePayload, options.IncludeVectors);
        }
        finally
        {
            lease.Release();
        }
    }

    /// <summary>Test hook: the current text index of that name, or null.</summary>
    internal TextIndex? TextIndexForTests(string name) => Volatile.Read(ref _state).FindTextIndex(name);

    private TextIndex ResolveTextIndex(CollectionState state, string name) =>
        state.FindTextIndex(name) ?? throw new SchemaException(
            $"Collection '{Name}' has no text index '{name}' (it has: {(state.TextIndexes.Length == 0 ? "none" : string.Join(", ", state.TextIndexes.Select(t => t.Definition.Name)))}).");

    /// <summary>One text search on a held state and snapshot; safe on many threads at once.</summary>
    private static List<SearchHit> SearchTextIn(CollectionState state, Snapshot snapshot, long nowTicks, TextIndex text, NamespaceScope scope,
        string query, int topK, Filter? filter, bool includePayload, bool includeVectors)
    {
        if (!scope.TryResolve(state.Namespaces, out int nsId))
        {
            return [];
        }
        TextQuery parsed = TextQuery.Parse(query, text.Definition.Chain);
        var heap = new TopKHeap(topK);
        var rowFilter = new VisibleRowFilter(state, snapshot, nowTicks, nsId, filter);
        try
        {
            TextSearcher.Search(text, parsed, state, snapshot, nowTicks, ref rowFilter, heap);
        }
        finally
        {
            rowFilter.Release();
        }
        var ranked = new (float Score, int Row)[heap.Count];
        heap.DrainDescending(ranked);
        var hits = new List<SearchHit>(ranked.Length);
        foreach ((float score, int row) in ranked)
        {
            ref readonly RowMeta meta = ref state.Row(row);
            Dictionary<string, ReadOnlyMemory<float>>? vectors = null;
            ReadOnlyMemory<float>? single = null;
            if (includeVectors && state.Arenas.Length > 0)
            {
                vectors = new Dictionary<string, ReadOnlyMemory<float>>(StringComparer.Ordinal);
                for (int v = 0; v < state.Arenas.Length; v++)
                {
                    vectors[state.Schema.Vectors[v].Name] = state.Arenas[v].Get(row).ToArray();
                }
                if (state.Arenas.Length == 1)
                {
                    single = vectors[state.Schema.Vectors[0].Name];
                }
            }
            // The payload stays the stored element until the caller reads SearchHit.Payload: no JSON tree per hit here.
            hits.Add(new SearchHit(meta.Id, state.Namespaces.NameOf(state.NamespaceOf(row)), score,
                includePayload ? meta.Payload : default, state.ExpiresAtTicks(row), HitVectors.Of(vectors, single, null)));
        }
        return hits;
    }

    /// <summary>
    /// Refuses a batch that would put a non-string value into a text-indexed field, before it is logged (the writer
    /// lock is held, so the text indexes cannot change meanwhile).
    /// </summary>
    /// <exception cref="InvalidRecordException">An upsert or payload update does.</exception>
    private void CheckTextFields(List<WalOperation> operations)
    {
        TextIndex[] indexes = _state.TextIndexes;
        if (indexes.Length == 0)
        {
            return;
        }
        foreach (WalOperation op in operations)
        {
            System.Text.Json.JsonElement payload = op.Type switch
            {
                WalOperationType.Upsert => op.Record!.Payload,
                WalOperationType.SetPayload => op.Payload?.Element ?? default,
                _ => default,
            };
            if (payload.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                continue;
            }
            foreach (TextIndex index in indexes)
            {
                if (index.Check(payload) is { } problem)
                {
                    throw new InvalidRecordException($"Record {op.Id}: {problem}.");
                }
            }
        }
    }

    private static bool SameDefinition(TextIndexDefinition a, TextIndexDefinition b) =>
        a.Analyzer == b.Analyzer && a.K1.Equals(b.K1) && a.B.Equals(b.B)
        && a.Fields.Select(f => f.Text).SequenceEqual(b.Fields.Select(f => f.Text), StringComparer.Ordinal);
}
