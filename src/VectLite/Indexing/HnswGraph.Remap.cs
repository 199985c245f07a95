using VectLite.Vectors;

namespace VectLite.Indexing;

// Remap: the graph a checkpoint derives when it renumbers rows.
internal sealed partial class HnswGraph
{
    /// <summary>
    /// Returns a new graph for a compacted collection: the same nodes and links (shared, not copied), each
    /// node's row translated through <paramref name="oldRowToNewRow"/> and vectors read from
    /// <paramref name="newArena"/>. Rows mapped to -1 (deleted, or replaced by a newer version) become
    /// dead nodes: still followed for navigation, never results, never revived.
    /// </summary>
    /// <remarks>
    /// <para>
    /// This graph stays fully usable for searches (on its own rows and arena), so readers holding it finish
    /// undisturbed, but it is read-only from now on: <see cref="Add"/> throws. Inserts continue on the
    /// returned graph; they may change shared lists, which a reader of this graph sees only as other valid
    /// links (it skips nodes added after the remap).
    /// </para>
    /// <para>
    /// If the entry point is dead, the live node with the highest level (the lowest id among equals)
    /// becomes the entry point; if every node is dead the new graph has no entry point and its next insert
    /// becomes one. No insert may run during the call.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="newArena"/> has another dimension, a node's row is outside <paramref name="oldRowToNewRow"/>,
    /// or a new row is below -1 or outside <paramref name="newArena"/>'s capacity.
    /// </exception>
    /// <exception cref="InvalidOperationException">The graph was already remapped.</exception>
    internal HnswGraph Remap(int[] oldRowToNewRow, VectorArena newArena)
    {
        ArgumentNullException.ThrowIfNull(oldRowToNewRow);
        ArgumentNullException.ThrowIfNull(newArena);
        if (newArena.Dimension != _dimension)
        {
            throw new ArgumentException($"The new arena has dimension {newArena.Dimension}; the graph's is {_dimension}.", nameof(newArena));
        }

        lock (_growLock)
        {
            ThrowIfSuperseded();
            int count = _count;
            int capacity = newArena.Capacity;
            int[][] oldRows = _rows;
            var rows = new int[oldRows.Length][];
            int dead = 0;
            for (int chunk = 0; chunk < rows.Length; chunk++)
            {
                int[] source = oldRows[chunk];
                int[] target = rows[chunk] = new int[HnswLinkStore.NodesPerChunk];
                int nodes = Math.Min(HnswLinkStore.NodesPerChunk, count - (chunk << HnswLinkStore.NodeChunkShift));
                for (int i = 0; i < nodes; i++)
                {
                    int oldRow = source[i];
                    int newRow = -1;
                    if (oldRow >= 0)
                    {
                        if (oldRow >= oldRowToNewRow.Length)
                        {
                            throw new ArgumentException($"Node {(chunk << HnswLinkStore.NodeChunkShift) + i} has row {oldRow}, outside the map of {oldRowToNewRow.Length} rows.", nameof(oldRowToNewRow));
                        }

                        newRow = oldRowToNewRow[oldRow];
                        if (newRow < -1 || newRow >= capacity)
                        {
                            throw new ArgumentException($"Row {oldRow} maps to {newRow}, which is neither -1 nor a row of the new arena ({capacity} rows).", nameof(oldRowToNewRow));
                        }
                    }

                    if (newRow < 0)
                    {
                        dead++;
                    }

                    target[i] = newRow;
                }
            }

            var graph = new HnswGraph(newArena, _metric, _parameters, _links, _contexts)
            {
                _rows = rows,
                _count = count,
                _deadCount = dead,
                _entry = ChooseEntry(rows, count, _entry),
            };

            Volatile.Write(ref _superseded, 1);
            return graph;
        }
    }

    /// <summary>Keeps the entry point if it is live, else picks the live node with the highest level (lowest id among equals).</summary>
    private long ChooseEntry(int[][] rows, int count, long entry)
    {
        if (entry != NoEntry && RowOf(rows, (int)entry) >= 0)
        {
            return entry;
        }

        int best = -1;
        int bestLevel = -1;
        for (int node = 0; node < count; node++)
        {
            if (RowOf(rows, node) >= 0)
            {
                int level = _links.GetLevel(node);
                if (level > bestLevel)
                {
                    best = node;
                    bestLevel = level;
                }
            }
        }

        return best < 0 ? NoEntry : PackEntry(best, bestLevel);
    }

    private static int RowOf(int[][] rows, int node) => rows[node >> HnswLinkStore.NodeChunkShift][node & HnswLinkStore.NodeChunkMask];
}
