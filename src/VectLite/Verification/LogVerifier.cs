using VectLite.Storage;

namespace VectLite.Verification;

/// <summary>
/// Checks a collection's write-ahead log with <see cref="WalReader"/>, the reader an open replays it with, and
/// decodes every batch newer than the checkpoint as replay would: a frame that passes its checksum but does not
/// decode (payloads included), or holds vectors that do not fit the schema, is damage; so is damage followed by intact
/// frames, which the reader raises. A torn tail (a damaged final frame, which an open drops) is a warning: that batch
/// was never acknowledged.
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
        var problems = new List<(long Lsn, long Offset, string Problem)>();
        int batches = 0;
        WalReadResult result;
        LoggedBatchFit? fit = manifest is null ? null : new LoggedBatchFit(manifest.Schema, manifest.PayloadIndexes);
        try
        {
            check.Length = new FileInfo(path).Length;
            result = WalReader.Read(path, checkpointLsn, (lsn, offset, batch) =>
            {
                batches++;
                if (CheckBatch(batch, fit!) is { } problem)
                {
                    problems.Add((lsn, offset, problem));
                }
            }, salvage: false);
        }
        catch (CorruptFileException ex)
        {
            ReportBatches(problems, check);
            check.Damage(ex);
            return -1;
        }
        ReportBatches(problems, check);
        if (result.TornBytes > 0)
        {
            check.Warning(result.ValidLength, $"a torn tail of {result.TornBytes} bytes ({result.TornReason}); the next open drops it, the batches before it are intact");
        }
        return manifest is null ? -1 : batches;
    }

    private static void ReportBatches(List<(long Lsn, long Offset, string Problem)> problems, FileCheck check)
    {
        foreach ((long lsn, long offset, string problem) in problems)
        {
            check.Damage(offset, $"batch {lsn} passes its checksum but {problem}");
        }
    }

    /// <summary>Decodes a batch and checks what replay would apply; returns the problem or null.</summary>
    private static string? CheckBatch(ReadOnlySpan<byte> batch, LoggedBatchFit fit)
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
        // Payloads were parsed by the decoder, as replay parses them; what is left is the fit to the collection.
        return fit.Check(operations);
    }
}
