namespace VectLite.Storage;

/// <summary>The kinds of operation a WAL batch holds. Values are part of the file format: never renumber.</summary>
internal enum WalOperationType : byte
{
    /// <summary>Insert or replace a whole record.</summary>
    Upsert = 1,
    /// <summary>Delete a record by key.</summary>
    Delete = 2,
    /// <summary>Replace a record's payload (the result of a merge patch, resolved before logging).</summary>
    SetPayload = 3,
    /// <summary>Set or clear a record's expiry.</summary>
    SetExpiry = 4,
    /// <summary>Define a payload index.</summary>
    CreatePayloadIndex = 5,
    /// <summary>Remove a payload index.</summary>
    DropPayloadIndex = 6,
    /// <summary>Define a full-text index (its whole definition; see Text/TextIndexDefinition.cs).</summary>
    CreateTextIndex = 7,
    /// <summary>Remove a full-text index by name.</summary>
    DropTextIndex = 8,
    /// <summary>
    /// Insert or replace a whole record of a collection with sparse or multi-vector spaces: an <see cref="Upsert"/>
    /// followed by their sections (<see cref="StoredRecord.WriteExtendedSpaces"/>). Logs of collections without such
    /// spaces never hold it, so they stay readable by builds that predate it.
    /// </summary>
    UpsertSparse = 9,
}

/// <summary>
/// One logged operation. The log records outcomes, not requests: a delete-by-filter is logged as the deletes it
/// resolved to and a merge patch as the merged payload, so replay is deterministic whatever the code that made them.
/// </summary>
internal sealed class WalOperation
{
    private WalOperation(WalOperationType type, RecordId id, string @namespace)
    {
        Type = type;
        Id = id;
        Namespace = @namespace;
    }

    public WalOperationType Type { get; }

    public RecordId Id { get; }

    public string Namespace { get; }

    /// <summary>For <see cref="WalOperationType.Upsert"/>.</summary>
    public StoredRecord? Record { get; private init; }

    /// <summary>For <see cref="WalOperationType.SetPayload"/>: the new payload (null clears it).</summary>
    public EncodedPayload? Payload { get; private init; }

    /// <summary>For <see cref="WalOperationType.SetExpiry"/>: UTC ticks, 0 to clear.</summary>
    public long ExpiresAtTicks { get; private init; }

    /// <summary>For index operations: the payload field path.</summary>
    public string? Field { get; private init; }

    /// <summary>For <see cref="WalOperationType.CreatePayloadIndex"/>.</summary>
    public PayloadIndexKind IndexKind { get; private init; }

    /// <summary>For <see cref="WalOperationType.CreateTextIndex"/>.</summary>
    public Text.TextIndexDefinition? TextIndex { get; private init; }

    public static WalOperation CreateTextIndex(Text.TextIndexDefinition definition) =>
        new(WalOperationType.CreateTextIndex, default, "") { Field = definition.Name, TextIndex = definition };

    public static WalOperation DropTextIndex(string name) =>
        new(WalOperationType.DropTextIndex, default, "") { Field = name };

    public static WalOperation Upsert(StoredRecord record) =>
        new(WalOperationType.Upsert, record.Id, record.Namespace) { Record = record };

    public static WalOperation Delete(RecordId id, string @namespace) => new(WalOperationType.Delete, id, @namespace);

    public static WalOperation SetPayload(RecordId id, string @namespace, EncodedPayload? payload) =>
        new(WalOperationType.SetPayload, id, @namespace) { Payload = payload };

    public static WalOperation SetExpiry(RecordId id, string @namespace, long expiresAtTicks) =>
        new(WalOperationType.SetExpiry, id, @namespace) { ExpiresAtTicks = expiresAtTicks };

    public static WalOperation CreatePayloadIndex(string field, PayloadIndexKind kind) =>
        new(WalOperationType.CreatePayloadIndex, default, "") { Field = field, IndexKind = kind };

    public static WalOperation DropPayloadIndex(string field) =>
        new(WalOperationType.DropPayloadIndex, default, "") { Field = field };
}
