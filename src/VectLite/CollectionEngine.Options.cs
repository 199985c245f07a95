using VectLite.Records;
using VectLite.Storage;

namespace VectLite;

internal sealed partial class CollectionEngine
{
    /// <summary>
    /// Changes the collection's runtime HNSW settings (<see cref="HnswOptions.EfSearch"/>,
    /// <see cref="HnswOptions.MinIndexedVectors"/>, <see cref="HnswOptions.ParallelInsertThreshold"/>,
    /// <see cref="HnswOptions.MaxInsertThreads"/>, <see cref="HnswOptions.TombstoneRebuildPercent"/>,
    /// <see cref="HnswOptions.BuildOnCodes"/>, <see cref="HnswOptions.ValueGraphs"/>, and the deferred indexing settings) and stores them with
    /// the collection, so they survive a reopen. Start from the current ones:
    /// <c>docs.UpdateOptions(docs.Schema.Hnsw with { EfSearch = 128 })</c>.
    /// </summary>
    /// <remarks>
    /// <para>The change is durable when this returns (the checkpoint manifest is replaced atomically, keeping its data
    /// files) and takes effect at once: the next search uses the new <see cref="HnswOptions.EfSearch"/>, the next write
    /// the new insert settings, the next checkpoint the new rebuild threshold. Lowering
    /// <see cref="HnswOptions.MinIndexedVectors"/> to or below the live vector count builds the missing graphs before
    /// this returns. Options equal to the current ones change nothing and write nothing.</para>
    /// <para>Structural settings (<see cref="HnswOptions.M"/>, <see cref="HnswOptions.EfConstruction"/>) shape the
    /// stored graphs and cannot change on a live collection: <paramref name="options"/> must repeat the stored values.
    /// To change them, create a new collection and copy the records.</para>
    /// <para><see cref="Database.GetOrCreateCollection"/> ignores runtime settings in the schema it is given: the stored
    /// ones stay until this method changes them. Read-only handles of this process on the writer see a change at once (they
    /// share its engine); other processes, and read-only engines, see it at their next open.</para>
    /// <para>Waits for a running checkpoint (manual or automatic) to finish first, and none starts meanwhile.</para>
    /// </remarks>
    /// <param name="options">The new settings; the structural ones must equal the stored ones.</param>
    /// <param name="cancellationToken">Cancels the wait for a running checkpoint; nothing has changed then.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    /// <exception cref="SchemaException"><paramref name="options"/> asks for other structural settings than the stored ones (the message names each).</exception>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    /// <exception cref="StorageException">The manifest could not be written; the collection keeps its previous settings.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting for a checkpoint.</exception>
    public void UpdateOptions(HnswOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ThrowIfUnusable();
        // A checkpoint fixes its schema under the writer lock but replaces the manifest outside it. Holding the gate
        // keeps one from running while this reads and replaces the manifest: between the two, its commit would be
        // undone (this would put back the previous generation's manifest); between its image and its manifest, the
        // new settings would be stored and then overwritten with the old ones.
        _checkpointGate.Wait(cancellationToken);
        try
        {
            UpdateOptionsCore(options);
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    private void UpdateOptionsCore(HnswOptions options)
    {
        lock (_writeLock)
        {
            ThrowIfNotWritable("update options");
            CollectionState state = _state;
            CollectionSchema current = state.Schema;
            List<string> structural = SchemaDifferences.StructuralHnsw(current.Hnsw, options);
            if (structural.Count > 0)
            {
                throw new SchemaException(
                    $"Collection '{Name}': {string.Join("; ", structural)}. These settings shape the stored graphs and cannot change on a live collection; " +
                    "create a new collection with them and copy the records.");
            }
            List<string> changes = SchemaDifferences.RuntimeHnsw(current.Hnsw, options);
            if (changes.Count == 0)
            {
                return;
            }

            // Persist first: the manifest of the current generation, rewritten with the new settings and everything else
            // as it is on disk (same data files, LSN and payload index definitions, which the log then replays onto).
            // Replacing it is atomic, so a crash leaves the old settings or the new ones, never a mix.
            CollectionSchema updated = current.WithHnsw(options);
            if (!_inMemory) // in memory there is no manifest: the settings live as long as the collection
            {
                CheckpointManifest stored = CheckpointManifest.Read(Directory);
                // A copy with every field as stored (`with`), so a field added later is carried too.
                (stored with { Schema = stored.Schema.WithHnsw(options) }).WriteAtomic(_database.Storage, Directory);
            }

            state.Schema = updated;
            Log.OptionsUpdated(_database.Logger, Name, string.Join("; ", changes));
            bool leftDeferred = current.Hnsw.Indexing == IndexingMode.Deferred && options.Indexing == IndexingMode.Immediate;
            if (options.MinIndexedVectors < current.Hnsw.MinIndexedVectors || leftDeferred)
            {
                // Builds the graphs the lower threshold now calls for; leaving deferred indexing, inserts the rows
                // still queued (waiting for the indexer's pass in progress), so immediate mode starts caught up.
                state.Publish(_lsn);
            }
            if (!options.ValueGraphs)
            {
                state.DropValueGraphs(); // searches stop asking for them; their memory goes with the last reader
            }
            NotifyIndexer(state); // deferred: the indexer builds what the new settings call for

        }
    }
}
