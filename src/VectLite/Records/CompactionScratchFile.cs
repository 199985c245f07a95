using System.Diagnostics;
using System.Runtime.InteropServices;
using VectLite.Storage;
using VectLite.Vectors;

namespace VectLite.Records;

/// <summary>
/// The scratch file a compaction writes the surviving rows of a vector kept on disk into, and maps in place of RAM: so a
/// checkpoint that compacts a collection whose vectors are larger than RAM does not need RAM for all of them.
/// </summary>
/// <remarks>
/// <para>Without it the compacted state would copy every surviving row into RAM chunks and hold them there until the
/// checkpoint's own vectors file is written and mapped: for that moment a vector on disk would need RAM for all its rows,
/// which is exactly what a collection larger than RAM does not have. Written here, the rows are page cache the operating
/// system writes back and drops as memory runs short, like the checkpoint files' pages.</para>
/// <para>The file has the mapped layout (<see cref="MappedVectorFile"/>: 64 bytes the mapping skips, then each row at the
/// arena's stride, zero padded), beside the checkpoint files, under a name ending in <see cref="DurableFile.TempSuffix"/>.
/// Nothing ever reads it after the process ends, so it is not synced: it is deleted when its mapping closes (the
/// checkpoint that follows maps its own vectors file in its place and retires this one once no reader is left), and a
/// crash leaves it to the next writer open's clean-up, which removes every temporary file not mapped.</para>
/// <para>The cost: the surviving rows are written twice (here, then into the checkpoint's file), once under the writer
/// lock. A compaction of vectors kept in RAM, or of an in-memory database, does not use it.</para>
/// </remarks>
internal static class CompactionScratchFile
{
    /// <summary>The start of every scratch file's name.</summary>
    internal const string NamePrefix = "compacting.";

    /// <summary>
    /// Writes the rows of <paramref name="source"/> that <paramref name="oldToNew"/> keeps, in their new order, into a new
    /// scratch file in <paramref name="directory"/>, and maps it; the mapping deletes the file when disposed.
    /// </summary>
    /// <param name="storage">The device the engine writes through (so fault-injection tests reach this write too).</param>
    /// <param name="directory">The collection's directory.</param>
    /// <param name="ordinal">The vector's schema ordinal (part of the name, for someone reading a directory listing).</param>
    /// <param name="source">The old state's arena.</param>
    /// <param name="oldToNew">Per old row, its new row, or -1 for a row the compaction drops; the new rows are 0, 1, 2, ... in old-row order.</param>
    /// <param name="rows">The number of rows kept.</param>
    /// <param name="cancellationToken">Checked every 4,096 rows.</param>
    /// <exception cref="StorageException">The file could not be written (nothing is left behind).</exception>
    /// <exception cref="IOException">The file could not be mapped (nothing is left behind).</exception>
    /// <exception cref="OperationCanceledException">Cancelled (nothing is left behind).</exception>
    public static MappedVectorFile Write(IStorageDevice storage, string directory, int ordinal, VectorArena source,
        ReadOnlySpan<int> oldToNew, int rows, CancellationToken cancellationToken)
    {
        string path = Path.Combine(directory, $"{NamePrefix}vec{ordinal}.{Guid.NewGuid():N}.vlvec{DurableFile.TempSuffix}");
        try
        {
            using (var stream = new StorageWriteStream(storage.Create(path), bufferSize: 1 << 20))
            {
                stream.Write(new byte[MappedVectorFile.DataOffset]);
                ReadOnlySpan<byte> padding = new byte[(source.Stride - source.Dimension) * sizeof(float)];
                int written = 0;
                for (int row = 0; row < oldToNew.Length; row++)
                {
                    if ((row & 4095) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    if (oldToNew[row] < 0)
                    {
                        continue;
                    }
                    Debug.Assert(oldToNew[row] == written, "The kept rows are renumbered densely, in old-row order.");
                    stream.Write(MemoryMarshal.AsBytes(source.Get(row)));
                    stream.Write(padding);
                    written++;
                }
                Debug.Assert(written == rows, "The caller counted the kept rows.");
                stream.Flush(); // disposing abandons the buffer; the mapping reads the file
            }
            var mapped = MappedVectorFile.Open(path, source.Dimension, rows);
            mapped.DeleteWhenDisposed = true;
            return mapped;
        }
        catch
        {
            DurableFile.TryDelete(storage, path);
            throw;
        }
    }
}
