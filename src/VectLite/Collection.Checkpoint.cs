using VectLite.Records;
using VectLite.Storage;

namespace VectLite;

public sealed partial class Collection
{
    /// <summary>
    /// Writes a checkpoint: the live, unexpired records go to new immutable files, the log is emptied, and memory held
    /// by deleted, replaced and expired rows is reclaimed. Readers keep running throughout; writers wait.
    /// </summary>
    /// <remarks>
    /// Steps, each durable before the next: write the new data files under temporary names and fsync them; rename them
    /// into place and fsync the directory; replace the checkpoint manifest atomically (the commit point); truncate the
    /// log; delete the previous generation's files. A crash before the manifest is replaced leaves the old checkpoint
    /// and the full log; after it, the new checkpoint, whose LSN tells replay to skip what the log still holds.
    /// </remarks>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the commit point; nothing changed.</exception>
    public void Compact(CancellationToken cancellationToken = default)
    {
        lock (_writeLock)
        {
            ThrowIfNotWritable("compact");
            _wal!.Sync();

            CollectionState old = _state;
            Snapshot snapshot = old.Published;
            long now = DateTime.UtcNow.Ticks;
            var expiryAware = new Snapshot(snapshot.Lsn, snapshot.RowCount, anyExpiring: true);
            long started = Environment.TickCount64;
            var fresh = new CollectionState(old.Schema, old.Indexes.Definitions, _lsn) { IndexingEnabled = false };
            bool graphsRemapped = false;
            int rebuilt = 0, remapped = 0;
            CheckpointManifest manifest;
            try
            {
                var oldToNew = new int[snapshot.RowCount];
                for (int row = 0; row < snapshot.RowCount; row++)
                {
                    if ((row & 4095) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    oldToNew[row] = old.IsVisible(row, expiryAware, now) ? fresh.CopyRowFrom(old, row) : -1;
                }

                // Keep each graph (renumbered, with the gone rows as dead nodes) unless too much of it is dead:
                // then let the fresh state rebuild it from the live vectors.
                int rebuildPercent = old.Schema.Hnsw.TombstoneRebuildPercent;
                for (int o = 0; o < old.Arenas.Length; o++)
                {
                    if (old.Graph(o) is not { } graph)
                    {
                        continue;
                    }
                    var renumbered = graph.Remap(oldToNew, fresh.Arenas[o]);
                    graphsRemapped = true;
                    if (rebuildPercent < 100 && renumbered.DeadCount * 100L >= rebuildPercent * (long)Math.Max(1, renumbered.Count))
                    {
                        rebuilt++;
                    }
                    else
                    {
                        fresh.SetGraph(o, renumbered, fresh.RowCount, "remapped");
                        remapped++;
                    }
                }
                fresh.IndexingEnabled = true;
                fresh.Publish(_lsn); // builds the graphs not kept

                long generation = _generation + 1;
                IStorageDevice storage = _database.Storage;
                var (files, renames) = CollectionFiles.Write(storage, Directory, generation, fresh,
                    CheckpointManifest.ComputeGraphStamp(generation, _lsn, fresh.RowCount), cancellationToken);
                foreach ((string temp, string final) in renames)
                {
                    DurableFile.Commit(storage, temp, final);
                }
                storage.SyncDirectory(Directory);
                cancellationToken.ThrowIfCancellationRequested();

                manifest = new CheckpointManifest
                {
                    Generation = generation,
                    Lsn = _lsn,
                    RecordCount = fresh.RowCount,
                    CreatedAt = DateTimeOffset.UtcNow,
                    Schema = old.Schema,
                    PayloadIndexes = old.Indexes.Definitions.ToArray(),
                    Files = files,
                };
                manifest.WriteAtomic(storage, Directory); // the commit point
            }
            catch
            {
                fresh.Release();
                if (graphsRemapped)
                {
                    old.DropGraphs(); // a remapped graph takes no more inserts: rebuild on the next write
                }
                throw;
            }

            // Committed: from here the new generation is the collection, even if the clean-up below fails.
            Volatile.Write(ref _state, fresh);
            Interlocked.Exchange(ref _generation, manifest.Generation);
            Interlocked.Exchange(ref _walBatches, 0);
            old.Release(); // freed once the last reader that took it lets go
            _wal.Reset();
            RemoveOrphans(_database.Storage, Directory, manifest);
            Log.Checkpointed(_database.Logger, Name, _generation, fresh.RowCount, rebuilt, remapped, Environment.TickCount64 - started);
        }
    }
}
