namespace VectLite.Storage;

/// <summary>
/// The file-system steps durability rests on: write a file under a temporary name, fsync it, rename it into place,
/// fsync the directory so the rename itself survives a power cut.
/// </summary>
internal static class DurableFile
{
    /// <summary>The suffix of files being written; any left behind by a crash are deleted at the next writer open.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically: readers see the old file or the new one, never a mix.</summary>
    /// <exception cref="StorageException">A step failed; the old file is untouched and the temporary file is removed if possible.</exception>
    public static void WriteAtomic(IStorageDevice storage, string path, ReadOnlySpan<byte> content)
    {
        string temp = path + TempSuffix;
        try
        {
            using (IStorageFile file = storage.Create(temp))
            {
                file.Write(content, 0);
                file.Sync();
            }
            storage.Move(temp, path);
        }
        catch (StorageException)
        {
            TryDelete(storage, temp);
            throw;
        }
        storage.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Renames a fully written and synced temporary file into place (the caller syncs the directory once for a group).</summary>
    public static void Commit(IStorageDevice storage, string tempPath, string finalPath) => storage.Move(tempPath, finalPath);

    /// <summary>Deletes a file if it can; a leftover temporary file is removed at the next writer open.</summary>
    public static void TryDelete(IStorageDevice storage, string path)
    {
        try
        {
            storage.Delete(path);
        }
        catch (StorageException)
        {
            // best effort: the caller is already failing with the error that matters
        }
    }
}
