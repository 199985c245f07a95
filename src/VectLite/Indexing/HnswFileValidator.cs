namespace VectLite.Indexing;

/// <summary>
/// Checks a loaded graph's arrays for values the search code cannot survive: the searches read links
/// without bounds checks, so a file that passed its checksum but holds impossible values (written by a
/// bug, or crafted) must still be refused, never searched.
/// </summary>
/// <remarks>
/// Checks: every level is at most 31; every list count fits its block and no lock bit is set; every
/// neighbour id is a node, on the upper levels a node that reaches that level; a node has upper blocks
/// exactly when its level is above 0, and they lie inside the pool without straddling a chunk; every row
/// is -1 or inside the arena. One pass over each array, no allocation.
/// </remarks>
internal readonly struct HnswFileValidator(
    string fileName,
    HnswLinkStore links,
    int count,
    int[][] rows,
    int arenaCapacity,
    long levelsOffset,
    long links0Offset,
    long offsetsOffset,
    long poolOffset,
    long rowsOffset)
{
    /// <summary>Validates every array; returns the number of dead nodes (row -1).</summary>
    /// <exception cref="CorruptFileException">A value is impossible; the offset names the first bad one.</exception>
    internal int Validate()
    {
        (int[][] links0, byte[][] levels, int[][] upperOffsets, int[][] upperPool) = links.Chunks;
        int block0Ints = links.Block0Ints;
        int upperBlockInts = links.UpperBlockInts;
        int maxLinks0 = 2 * links.M;
        int upperUsed = links.UpperUsed;
        int dead = 0;

        for (int node = 0; node < count; node++)
        {
            int chunk = node >> HnswLinkStore.NodeChunkShift;
            int index = node & HnswLinkStore.NodeChunkMask;

            int level = levels[chunk][index];
            if (level > HnswLinkStore.MaxLevel)
            {
                throw Corrupt(levelsOffset + node, $"node {node} has level {level}, above {HnswLinkStore.MaxLevel}");
            }

            int blockStart = index * block0Ints;
            int header = links0[chunk][blockStart];
            if ((uint)header > (uint)maxLinks0)
            {
                throw Corrupt(links0Offset + ((long)node * block0Ints * sizeof(int)), $"node {node} has a level-0 header of {header}; at most {maxLinks0} links fit");
            }

            CheckIds(links0[chunk].AsSpan(blockStart + 1, header), node, 0, links0Offset + ((((long)node * block0Ints) + 1) * sizeof(int)), levels);

            int offset = upperOffsets[chunk][index];
            long offsetPosition = offsetsOffset + ((long)node * sizeof(int));
            if (level == 0)
            {
                if (offset != -1)
                {
                    throw Corrupt(offsetPosition, $"node {node} is on level 0 only but has upper links at {offset}");
                }
            }
            else
            {
                if (!HnswLinkStore.UpperBlocksFit(offset, level, upperBlockInts, upperUsed))
                {
                    throw Corrupt(offsetPosition, $"node {node}'s upper links at {offset} do not fit the pool of {upperUsed} ints");
                }

                int[] pool = upperPool[offset >> HnswLinkStore.PoolChunkShift];
                for (int l = 1; l <= level; l++)
                {
                    int start = (offset & HnswLinkStore.PoolChunkMask) + ((l - 1) * upperBlockInts);
                    long position = poolOffset + (((long)offset + ((l - 1) * upperBlockInts)) * sizeof(int));
                    int listCount = pool[start];
                    if ((uint)listCount > (uint)links.M)
                    {
                        throw Corrupt(position, $"node {node} has {listCount} links on level {l}; at most {links.M} fit");
                    }

                    CheckIds(pool.AsSpan(start + 1, listCount), node, l, position + sizeof(int), levels);
                }
            }

            int row = rows[chunk][index];
            if (row < 0)
            {
                if (row != -1)
                {
                    throw Corrupt(rowsOffset + ((long)node * sizeof(int)), $"node {node} maps to row {row}");
                }

                dead++;
            }
            else if (row >= arenaCapacity)
            {
                throw Corrupt(rowsOffset + ((long)node * sizeof(int)), $"node {node} maps to row {row}, outside the {arenaCapacity} rows of the vectors");
            }
        }

        return dead;
    }

    private void CheckIds(ReadOnlySpan<int> ids, int node, int level, long position, byte[][] levels)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if ((uint)id >= (uint)count)
            {
                throw Corrupt(position + ((long)i * sizeof(int)), $"node {node} links to {id} on level {level}, but there are {count} nodes");
            }

            if (level > 0 && levels[id >> HnswLinkStore.NodeChunkShift][id & HnswLinkStore.NodeChunkMask] < level)
            {
                throw Corrupt(position + ((long)i * sizeof(int)), $"node {node} links to {id} on level {level}, which that node does not reach");
            }
        }
    }

    private CorruptFileException Corrupt(long offset, string problem) => new(fileName, offset, problem);
}
