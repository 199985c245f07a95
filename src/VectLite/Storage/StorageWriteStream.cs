namespace VectLite.Storage;

/// <summary>
/// A buffered, append-only <see cref="Stream"/> over an <see cref="IStorageFile"/>, for writers that produce a file
/// front to back (checkpoint data files, index graphs). Owns the file: disposing the stream closes it.
/// </summary>
internal sealed class StorageWriteStream(IStorageFile file, int bufferSize) : Stream
{
    private readonly byte[] _buffer = new byte[bufferSize];
    private int _buffered;
    private long _flushed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _flushed + _buffered;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException("A storage write stream only appends.");
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (buffer.Length >= _buffer.Length)
        {
            // Larger than the buffer: write it directly after what is buffered, no copy.
            Flush();
            file.Write(buffer, _flushed);
            _flushed += buffer.Length;
            return;
        }
        if (_buffered + buffer.Length > _buffer.Length)
        {
            Flush();
        }
        buffer.CopyTo(_buffer.AsSpan(_buffered));
        _buffered += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Hands the buffered bytes to the operating system (no fsync).</summary>
    public override void Flush()
    {
        if (_buffered == 0)
        {
            return;
        }
        file.Write(_buffer.AsSpan(0, _buffered), _flushed);
        _flushed += _buffered;
        _buffered = 0;
    }

    /// <summary>Flushes and fsyncs the file.</summary>
    public void Sync()
    {
        Flush();
        file.Sync();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Closes the file without flushing: a writer that did not reach <see cref="Sync"/> is abandoning the file.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }
        base.Dispose(disposing);
    }
}
