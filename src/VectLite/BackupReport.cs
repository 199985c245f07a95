namespace VectLite;

/// <summary>What <see cref="Database.Backup"/> copied.</summary>
/// <param name="TargetDirectory">The new database's directory (full path).</param>
/// <param name="Collections">Per collection, in name order: the last batch the copy holds, and the bytes copied.</param>
/// <param name="Elapsed">From the call to the last fsync.</param>
public sealed record BackupReport(string TargetDirectory, IReadOnlyList<CollectionBackup> Collections, TimeSpan Elapsed)
{
    /// <summary>Bytes copied over all collections.</summary>
    public long TotalBytes => Collections.Sum(c => c.Bytes);
}
