namespace VectLite;

/// <summary>The three WAL sync policies; see <see cref="SyncMode"/>.</summary>
public enum SyncModeKind
{
    /// <summary>fsync every batch.</summary>
    PerOp = 0,
    /// <summary>fsync every n-th batch.</summary>
    EveryN = 1,
    /// <summary>fsync on flush, checkpoint and close only.</summary>
    OnFlush = 2,
}
