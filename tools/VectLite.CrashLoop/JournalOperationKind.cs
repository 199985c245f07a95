namespace VectLite.CrashLoop;

/// <summary>The writes the crash-loop child performs.</summary>
public enum JournalOperationKind
{
    /// <summary><see cref="Collection.UpsertMany"/> of one or more records (one record: a plain upsert).</summary>
    Upsert,

    /// <summary><see cref="Collection.DeleteMany"/>.</summary>
    Delete,

    /// <summary><see cref="Collection.UpdatePayload"/> of one record.</summary>
    Patch,
}
