namespace VectLite.Storage;

/// <summary>
/// The file-system operations the engine writes through: creating and opening files for writing, renames, deletes,
/// directory creation and directory fsyncs. Reads go to the file system directly.
/// </summary>
/// <remarks>
/// One seam so that tests can count fsyncs, inject I/O errors at every operation in turn, and simulate a power cut
/// by remembering what was written since each file's and each directory's last fsync. Production uses
/// <see cref="FileSystemStorage"/>. Every member throws <see cref="StorageException"/> on failure, with
/// <see cref="VectLiteErrorCode.StorageFull"/> when the disk or quota is full.
/// </remarks>
internal interface IStorageDevice
{
    /// <summary>Creates <paramref name="path"/>, or truncates it if it exists, and opens it for writing (no sharing).</summary>
    IStorageFile Create(string path);

    /// <summary>Opens the existing file <paramref name="path"/> for writing in place; others may read it meanwhile.</summary>
    IStorageFile OpenForWrite(string path);

    /// <summary>Renames a file, replacing <paramref name="destination"/> if it exists.</summary>
    void Move(string source, string destination);

    /// <summary>Renames a directory; <paramref name="destination"/> must not exist.</summary>
    void MoveDirectory(string source, string destination);

    /// <summary>Creates a directory (and missing parents); does nothing if it exists.</summary>
    void CreateDirectory(string path);

    /// <summary>Makes the directory's entries (creations, renames, deletions) durable: fsync of the directory.</summary>
    void SyncDirectory(string path);

    /// <summary>Deletes a file; does nothing if it does not exist.</summary>
    void Delete(string path);

    /// <summary>Deletes a directory and everything in it.</summary>
    void DeleteDirectory(string path);
}
