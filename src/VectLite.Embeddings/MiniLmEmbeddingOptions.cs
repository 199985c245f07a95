namespace VectLite.Embeddings;

/// <summary>
/// Settings of a <see cref="MiniLmEmbeddingGenerator"/>. The defaults suit a desktop or server process; set
/// <see cref="IntraOpThreads"/> to keep embedding from taking every core while the database serves searches.
/// </summary>
public sealed class MiniLmEmbeddingOptions
{
    private int _batchSize = 32;
    private int? _intraOpThreads;

    /// <summary>
    /// Texts sent to the model per inference call (default 32). Larger batches amortise the call overhead but pad
    /// every text in the batch to the longest one; cancellation is checked between batches.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above 1,024.</exception>
    public int BatchSize
    {
        get => _batchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1024);
            _batchSize = value;
        }
    }

    /// <summary>
    /// Threads ONNX Runtime may use inside one inference call; <see langword="null"/> (the default) leaves ONNX
    /// Runtime's choice, one per physical core.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int? IntraOpThreads
    {
        get => _intraOpThreads;
        set
        {
            if (value is { } threads)
                ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
            _intraOpThreads = value;
        }
    }
}
