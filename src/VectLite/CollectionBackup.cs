namespace VectLite;

/// <summary>One collection of a <see cref="BackupReport"/>.</summary>
/// <param name="Name">The collection's name.</param>
/// <param name="Lsn">The log sequence number of the last write batch the copy holds (as <see cref="CollectionStats.Lsn"/>
/// reported it at the backup's consistent point).</param>
/// <param name="Bytes">Bytes copied: checkpoint files, checkpoint manifest and the log up to the consistent point.</param>
public sealed record CollectionBackup(string Name, long Lsn, long Bytes);
