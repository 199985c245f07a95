namespace VectLite.Records;

/// <summary>What identifies a record inside a collection: its namespace (interned) and its id.</summary>
internal readonly record struct RecordKey(int NamespaceId, RecordId Id);
