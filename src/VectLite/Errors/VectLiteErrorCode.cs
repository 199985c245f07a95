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
}
