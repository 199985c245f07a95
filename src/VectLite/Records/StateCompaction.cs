namespace VectLite.Records;

/// <summary>
/// Builds the compacted successor of a collection state, as a checkpoint swaps it in: only the rows visible now
/// (not deleted, replaced or expired), renumbered densely, with each graph renumbered or rebuilt.
/// </summary>
internal static class StateCompaction
{
    /// <summary>
    /// Returns the compacted, published successor of <paramref name="old"/> as of its published snapshot at
    /// <paramref name="lsn"/>. The writer lock is held: nothing is applied to <paramref name="old"/> meanwhile.
    /// </summary>
    /// <remarks>
    /// Each graph keeps its links (renumbered, the gone rows left as dead nodes: <see cref="Indexing.HnswGraph.Remap"/>)
    /// unless at least <see cref="HnswOptions.TombstoneRebuildPercent"/> of it is dead; then it is rebuilt from the live
    /// vectors. On failure or cancellation <paramref name="old"/> stays usable: a graph already remapped (which takes no
    /// more inserts) is dropped from it, to be rebuilt by its next write.
    /// </remarks>
    /// <exception cref="OperationCanceledException">Cancelled; <paramref name="old"/> stays the collection's state.</exception>
    public static CollectionState Compact(CollectionState old, long lsn, CancellationToken cancellationToken, out int rebuilt, out int remapped)
    {
        Snapshot snapshot = old.Published;
        long now = DateTime.UtcNow.Ticks;
        var expiryAware = new Snapshot(snapshot.Lsn, snapshot.RowCount, anyExpiring: true);
        var fresh = new CollectionState(old.Schema, old.Indexes.Definitions, lsn, [.. old.TextIndexes.Select(t => t.Definition)]) { IndexingEnabled = false };
        bool graphsRemapped = false;
        rebuilt = 0;
        remapped = 0;
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
            cancellationToken.ThrowIfCancellationRequested(); // the last point where nothing changed
            fresh.CarryCodecsFrom(old); // drifted codecs are not carried: the fresh state retrains them
            if (old.CodesDrifted)
            {
                fresh.MarkRetraining();
            }

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
            for (int m = 0; m < old.Multi.Length; m++)
            {
                // The token graphs likewise: renumbered for the copied rows' tokens, not built again token by token.
                graphsRemapped = true;
                if (old.Multi[m].RemapInto(fresh.Multi[m], oldToNew, fresh.RowCount, rebuildPercent))
                {
                    remapped++;
                }
                else
                {
                    rebuilt++;
                }
            }
            fresh.IndexingEnabled = true;
            fresh.Publish(lsn); // builds the graphs not kept
            return fresh;
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
    }
}
