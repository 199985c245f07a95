using VectLite.Records;
using VectLite.Storage;

namespace VectLite.Verification;

/// <summary>
/// Checks a collection's write-ahead log with <see cref="WalReader"/>, the reader an open replays it with, and
/// decodes every batch newer than the checkpoint as replay would: a frame that passes its checksum but does not
/// decode, or holds vectors or a payload replay cannot apply, is damage. A torn tail (what the reader drops at the
/// end of the log) is a warning: the batch was never acknowledged.
/// </summary>
internal static class LogVerifier
{
    /// <param name="path">The log file.</param>
    /// <param name="manifest">The checkpoint the log continues, or null when its manifest is unreadable: then only the framing is checked.</param>
    /// <param name="check">Receives the findings.</param>
    /// <returns>The number of intact batches newer than the checkpoint, or -1 when unknown (the log or the manifest could not be read).</returns>
    public static int Check(string path, CheckpointManifest? manifest, FileCheck check)
    {
        if (!File.Exists(path))
        {
            check.Damage(-1, "the collection's write-ahead log is missing");
            return -1;
        }
        // Without a checkpoint LSN no batch can be placed: treat every frame as covered by the checkpoint, which
        // still checks each frame's length, checksum and LSN sequence.
        long checkpointLsn = manifest?.Lsn ?? long.MaxValue;
        var frames = new List<(long Lsn, int Length, string? Problem)>();
        WalReadResult result;
        try
        {
            check.Length = new FileInfo(path).Length;
            result = WalReader.Read(path, checkpointLsn, (lsn, batch) => frames.Add((lsn, batch.Length, CheckBatch(batch, manifest!.Schema))));
        }
        catch (CorruptFileException ex)
        {
            check.Damage(ex);
            foreach ((long lsn, _, string? problem) in frames)
            {
                if (problem is not null)
                {
                    check.Damage(-1, $"batch {lsn} passes its checksum but {problem}");
                }
            }
            return -1;
        }

        // The frames handed over are the last intact ones, so they end where the intact part of the log ends:
        // walk back from there to find where each starts.
        long end = result.ValidLength;
        var offsets = new long[frames.Count];
        for (int i = frames.Count - 1; i >= 0; i--)
        {
            end -= WalFormat.FrameHeaderSize + frames[i].Length;
            offsets[i] = end;
        }
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].Problem is { } problem)
            {
                check.Damage(offsets[i], $"batch {frames[i].Lsn} passes its checksum but {problem}");
            }
        }
        if (result.TornBytes > 0)
        {
            check.Warning(result.ValidLength, $"a torn tail of {result.TornBytes} bytes ({result.TornReason}); the next open drops it, the batches before it are intact");
        }
        return manifest is null ? -1 : frames.Count;
    }

    /// <summary>Decodes a batch and checks what replay would apply; returns the problem or null.</summary>
    private static string? CheckBatch(ReadOnlySpan<byte> batch, CollectionSchema schema)
    {
        List<WalOperation> operations;
        try
        {
            operations = WalBatchCodec.Decode(batch);
        }
        catch (Exception ex) when (ex is FormatException or VectLiteException)
        {
            return $"does not decode: {ex.Message}";
        }
        // Payloads were parsed by Decode exactly as replay parses them; what is left is the shape replay relies on.
        for (int i = 0; i < operations.Count; i++)
        {
            WalOperation op = operations[i];
            if (op.Type == WalOperationType.Upsert)
            {
                float[][] vectors = op.Record!.Vectors;
                if (vectors.Length != schema.Vectors.Count)
                {
                    return $"operation {i} carries {vectors.Length} vectors, the schema has {schema.Vectors.Count}";
                }
                for (int v = 0; v < vectors.Length; v++)
                {
                    if (vectors[v].Length != schema.Vectors[v].Dimension)
                    {
                        return $"operation {i} has a vector '{schema.Vectors[v].Name}' of dimension {vectors[v].Length}, the schema says {schema.Vectors[v].Dimension}";
                    }
                }
            }
        }
        return null;
    }
}
