namespace VectLite.Storage;

/// <summary>A file opened for writing through an <see cref="IStorageDevice"/>. Every member throws <see cref="StorageException"/> on failure.</summary>
internal interface IStorageFile : IDisposable
{
    /// <summary>The file's path.</summary>
    string Path { get; }

    /// <summary>The file's current length in bytes.</summary>
    long Length { get; }

    /// <summary>Writes all of <paramref name="bytes"/> at <paramref name="offset"/> (one <c>pwrite</c>, retried until complete).</summary>
    void Write(ReadOnlySpan<byte> bytes, long offset);

    /// <summary>Truncates or extends the file to <paramref name="length"/> bytes.</summary>
    void SetLength(long length);

    /// <summary>fsyncs the file: its content and length reach stable storage.</summary>
    void Sync();
}
