using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>A file opened through <see cref="FaultInjectingStorage"/>: its writes, truncations and fsyncs are numbered and may fail.</summary>
internal sealed class FaultInjectingFile(FaultInjectingStorage device, IStorageFile inner) : IStorageFile
{
    public string Path => inner.Path;

    public long Length => inner.Length;

    public void Write(ReadOnlySpan<byte> bytes, long offset) => device.Write(inner, bytes, offset);

    public void SetLength(long length) => device.Run(StorageOperationKind.SetLength, inner.Path, () => inner.SetLength(length));

    public void Sync() => device.Run(StorageOperationKind.SyncFile, inner.Path, () =>
    {
        if (device.ForwardSyncs)
        {
            inner.Sync();
        }
    });

    public void Dispose() => inner.Dispose();
}
