namespace VectLite.Tests.Storage;

/// <summary>The operations an <see cref="VectLite.Storage.IStorageDevice"/> and its files perform, as test devices log them.</summary>
internal enum StorageOperationKind
{
    Create,
    OpenForWrite,
    Write,
    SetLength,
    SyncFile,
    Move,
    MoveDirectory,
    CreateDirectory,
    SyncDirectory,
    Delete,
    DeleteDirectory,
}
