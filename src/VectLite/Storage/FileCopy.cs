namespace VectLite.Storage;

/// <summary>Copies a file, or the first bytes of one, to a new file through the storage device, fsynced, for a backup.</summary>
internal static class FileCopy
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>
    /// Copies the first <paramref name="length"/> bytes of <paramref name="source"/> (which a writer may be appending to
    /// meanwhile: only bytes already written are read) to a new file <paramref name="target"/>, fsyncs it, and returns
    /// the CRC32C of the bytes copied.
    /// </summary>
    /// <exception cref="StorageException">The source is shorter than <paramref name="length"/> or cannot be read, or the
    /// target cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between chunks; the target is left partly written.</exception>
    public static uint CopyPrefix(IStorageDevice storage, string source, string target, long length, CancellationToken cancellationToken)
    {
        System.IO.Hashing.Crc32 crc = Checksum.CreateRunning();
        using IStorageFile file = storage.Create(target);
        try
        {
            using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            byte[] buffer = new byte[(int)Math.Clamp(length, 1, ChunkBytes)];
            long copied = 0;
            while (copied < length)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int read = input.ReadAtLeast(buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - copied)), 1, throwOnEndOfStream: false);
                if (read == 0)
                {
                    throw new StorageException(VectLiteErrorCode.StorageFailure, source, "back up",
                        new EndOfStreamException($"the file ended at byte {copied}, before the {length} bytes to copy"));
                }
                file.Write(buffer.AsSpan(0, read), copied);
                crc.Append(buffer.AsSpan(0, read));
                copied += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StorageException(VectLiteErrorCode.StorageFailure, source, "back up", ex);
        }
        file.Sync();
        return crc.GetCurrentHashAsUInt32();
    }
}
