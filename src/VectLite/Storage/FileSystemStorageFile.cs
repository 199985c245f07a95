using Microsoft.Win32.SafeHandles;

namespace VectLite.Storage;

/// <summary>A file opened by <see cref="FileSystemStorage"/>: positioned writes, truncation and fsync on one handle.</summary>
internal sealed class FileSystemStorageFile(string path, SafeFileHandle handle) : IStorageFile
{
    public string Path => path;

    public long Length
    {
        get
        {
            try
            {
                return RandomAccess.GetLength(handle);
            }
            catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
            {
                throw StorageErrors.Translate(ex, path, "read the length of");
            }
        }
    }

    public void Write(ReadOnlySpan<byte> bytes, long offset)
    {
        try
        {
            RandomAccess.Write(handle, bytes, offset);
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, path, "write to");
        }
    }

    public void SetLength(long length)
    {
        try
        {
            RandomAccess.SetLength(handle, length);
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, path, "set the length of");
        }
    }

    public void Sync()
    {
        try
        {
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, path, "fsync");
        }
    }

    public void Dispose() => handle.Dispose();
}
