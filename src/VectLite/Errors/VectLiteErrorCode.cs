namespace VectLite;

/// <summary>The kinds of error a <see cref="VectLiteException"/> reports. Values are stable: they appear in logs and HTTP responses.</summary>
public enum VectLiteErrorCode
{
    /// <summary>A vector has the wrong number of components for its named vector.</summary>
    DimensionMismatch = 1,
    /// <summary>A vector holds NaN or an infinity, or is all zeros under the cosine metric.</summary>
    InvalidVector = 2,
    /// <summary>A record is malformed: empty id, payload that is not a JSON object, unknown vector name.</summary>
    InvalidRecord = 3,
    /// <summary>No collection has that name.</summary>
    CollectionNotFound = 4,
    /// <summary>A collection with that name exists already.</summary>
    CollectionExists = 5,
    /// <summary>A collection, vector or field name breaks the naming rules.</summary>
    InvalidName = 6,
    /// <summary>A filter could not be parsed or is not well formed.</summary>
    InvalidFilter = 7,
    /// <summary>A file is damaged: bad magic number, unknown version, checksum mismatch, truncated content.</summary>
    CorruptFile = 8,
    /// <summary>Another process holds the database's writer lock.</summary>
    DatabaseLocked = 9,
    /// <summary>A write was attempted on a database opened read-only.</summary>
    ReadOnly = 10,
    /// <summary>A schema or index definition is invalid or conflicts with an existing one.</summary>
    InvalidSchema = 11,
    /// <summary>The disk (or the quota) is full: the write was refused and nothing was half-written; retry once space is freed.</summary>
    StorageFull = 12,
    /// <summary>The operating system failed a read, write, fsync or rename (an I/O error other than a full disk).</summary>
    StorageFailure = 13,
    /// <summary>
    /// A write reached the log but could not be applied in memory, so this handle no longer matches the log and refuses
    /// further writes; reopening the database replays the log and gives the all-or-nothing result.
    /// </summary>
    Faulted = 14,
    /// <summary>A call that needs an existing record (search by a record's id) named one that is absent, deleted or expired.</summary>
    RecordNotFound = 15,

    /// <summary>A backup's target directory exists and is not empty: a backup never writes over or into other files.</summary>
    BackupTargetNotEmpty = 16,
}
