using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>A file opened through <see cref="PowerLossStorage"/>: every change goes to the real file and to the model.</summary>
internal sealed class PowerLossFile(PowerLossStorage device, SimulatedFile model, IStorageFile inner) : IStorageFile
{
    public string Path => inner.Path;

    public long Length => inner.Length;

    public void Write(ReadOnlySpan<byte> bytes, long offset)
    {
        byte[] copy = bytes.ToArray();
        device.FileOperation(() =>
        {
            inner.Write(copy, offset);
            model.Write(copy, offset);
        });
    }

    public void SetLength(long length) => device.FileOperation(() =>
    {
        inner.SetLength(length);
        model.SetLength(length);
    });

    /// <summary>Not passed on to the real file: the model is what decides what survives, and real fsyncs only slow the run.</summary>
    public void Sync() => device.FileOperation(model.Sync);

    public void Dispose() => inner.Dispose();
}
