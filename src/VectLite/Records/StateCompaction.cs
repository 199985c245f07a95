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
    /// <param name="old">The state to compact.</param>
    /// <param name="lsn">The LSN the successor is published at.</param>
    /// <param name="cancellationToken">Checked every 4,096 rows.</param>
    /// <param name="rebuilt">The graphs dropped to be rebuilt.</param>
    /// <param name="remapped">The graphs renumbered.</param>
    /// <param name="storage">With <paramref name="directory"/>: where the vectors kept on disk are written
    /// (<see cref="CompactionScratchFile"/>) instead of RAM; null for an in-memory database, whose vectors stay in RAM.</param>
    /// <param name="directory">The collection's directory, or null.</param>
    public static CollectionState Compact(CollectionState old, long lsn, CancellationToken cancellationToken, out int rebuilt, out int remapped,
        Storage.IStorageDevice? storage = null, string? directory = null)
    {
        Snapshot snapshot = old.Published;
        long now = DateTime.UtcNow.Ticks;
        var expiryAware = new Snapshot(snapshot.Lsn, snapshot.RowCount, anyExpiring: true);
        var fresh = new CollectionState(old.Schema, old.Indexes.Definitions, lsn, [.. old.TextIndexes.Select(t => t.Definition)]) { IndexingEnabled = false };
        fresh.CarryCostModelsFrom(old);
        bool graphsRemapped = false;
        rebuilt = 0;
        remapped = 0;
        try
        {
            // First which rows survive (all at one `now`), so the vectors kept on disk can be written to their scratch
            // files in the new order before the rows are copied; the copy then skips those vectors' rows.
            var oldToNew = new int[snapshot.RowCount];
            int kept = 0;
            for (int row = 0; row < snapshot.RowCount; row++)
            {
                oldToNew[row] = old.IsVisible(row, expiryAware, now) ? kept++ : -1;
            }
            if (storage is not null && directory is not null)
            {
                WriteVectorsKeptOnDisk(old, fresh, oldToNew, kept, storage, directory, cancellationToken);
            }
            fresh.ReserveRows(kept); // after the vectors on disk are mapped: their rows need no RAM
            for (int row = 0; row < snapshot.RowCount; row++)
            {
                if ((row & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                if (oldToNew[row] >= 0)
                {
                    int copied = fresh.CopyRowFrom(old, row);
                    System.Diagnostics.Debug.Assert(copied == oldToNew[row], "Rows are copied in old-row order, renumbered densely.");
                }
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
                // Not `is not { } graph`: Stryker's safe mode drops every mutant of a method where one mutant leaves
                // such a pattern variable unassigned (CS0165), and this method would go unmeasured.
                Indexing.HnswGraph? graph = old.Graph(o);
                if (graph is null)
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
            AfterGraphsRenumberedForTests?.Invoke();
            old.MoveValueGraphsTo(fresh, oldToNew); // renumbered like the graphs above; the builder extends them on the fresh state
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
            old.ReviveValueGraphs(); // its value graphs (if they moved) are gone: a search asks for them again
            throw;
        }
    }

    /// <summary>
    /// Test hook, for compactions on this thread only (a manual checkpoint compacts on its caller's thread): runs after
    /// the graphs are renumbered, before the value graphs move; a throw fails the compaction at the one point where the
    /// old state has already given its graphs away.
    /// </summary>
    [ThreadStatic]
    internal static Action? AfterGraphsRenumberedForTests;

    /// <summary>
    /// Points each vector kept on disk of <paramref name="fresh"/> (still empty) at a scratch file holding its surviving
    /// rows, so the copy that follows does not put them in RAM. A vector whose rows fit in one arena chunk is left alone:
    /// the chunk a file ends inside is RAM anyway.
    /// </summary>
    private static void WriteVectorsKeptOnDisk(CollectionState old, CollectionState fresh, int[] oldToNew, int kept,
        Storage.IStorageDevice storage, string directory, CancellationToken cancellationToken)
    {
        for (int o = 0; o < old.Arenas.Length; o++)
        {
            if (old.Schema.Vectors[o].VectorsInRam || kept < fresh.Arenas[o].RowsPerChunk)
            {
                continue;
            }
            Vectors.MappedVectorFile scratch = CompactionScratchFile.Write(storage, directory, o, old.Arenas[o], oldToNew, kept, cancellationToken);
            fresh.AttachVectorFile(o, scratch); // an empty arena: nothing is retired; the fresh state owns the mapping now
        }
    }
}
