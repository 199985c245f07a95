namespace VectLite;

/// <summary>
/// A write reached the collection's log but failed before it was applied in memory. The handle no longer matches the
/// log, so it refuses every further write; reads still answer from the last state published before the failure.
/// </summary>
/// <remarks>
/// Dispose the database and open it again: the log is replayed and the failed batch is either wholly there or wholly
/// absent. This is a safety stop for failures the validation before the log could not foresee (running out of memory,
/// for instance); every input VectLite can reject, it rejects before anything is logged.
/// </remarks>
public sealed class CollectionFaultedException : VectLiteException
{
    /// <summary>Creates the exception for <paramref name="collection"/>, with the failure that faulted it.</summary>
    public CollectionFaultedException(string collection, Exception? cause)
        : base(VectLiteErrorCode.Faulted,
            $"Collection '{collection}' refuses writes: an earlier write failed after it was logged ({cause?.Message ?? "unknown cause"}). Reopen the database to recover.",
            cause)
    {
        Collection = collection;
    }

    /// <summary>The faulted collection's name.</summary>
    public string Collection { get; }
}
