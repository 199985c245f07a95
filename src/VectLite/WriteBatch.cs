using System.Text.Json.Nodes;

namespace VectLite;

/// <summary>
/// Writes to one or more collections of a database (upserts, deletes, payload updates, expiries), applied by
/// <see cref="Database.Write(WriteBatch)"/> all or nothing: after a crash, every one of them is there or none is.
/// </summary>
/// <remarks>
/// Operations apply in the order they were added, each seeing the ones before it: a payload update of a record
/// upserted earlier in the batch patches the new payload; a delete then an update of the same record finds nothing to
/// update. The batch is a plain list until it is written; writing it does not clear it. Not thread-safe.
/// <code>
/// var batch = new WriteBatch()
///     .Upsert("notes", new Record("n-1", vector, payload))
///     .UpdatePayload("folders", "inbox", new JsonObject { ["count"] = 12 })
///     .Delete("drafts", "n-1");
/// db.Write(batch);
/// </code>
/// </remarks>
public sealed class WriteBatch
{
    private readonly List<WriteBatchOperation> _operations = [];

    /// <summary>The number of operations added.</summary>
    public int Count => _operations.Count;

    /// <summary>The operations in the order they were added.</summary>
    internal IReadOnlyList<WriteBatchOperation> Operations => _operations;

    /// <summary>Inserts the record into <paramref name="collection"/>, or replaces the one with the same id in the same namespace.</summary>
    /// <returns>This batch.</returns>
    public WriteBatch Upsert(string collection, Record record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Add(new WriteBatchOperation(WriteBatchOperationKind.Upsert, collection, record.Id, record.Namespace, record, null, null));
    }

    /// <summary>Deletes the record with this id from one namespace of <paramref name="collection"/> (null: the default namespace).</summary>
    /// <returns>This batch.</returns>
    public WriteBatch Delete(string collection, RecordId id, string? @namespace = null) =>
        Add(new WriteBatchOperation(WriteBatchOperationKind.Delete, collection, id, @namespace, null, null, null));

    /// <summary>
    /// Applies a JSON merge patch (RFC 7386) to the payload of the record with this id, as
    /// <see cref="Collection.UpdatePayload"/> does; nothing happens when there is no such record.
    /// </summary>
    /// <returns>This batch.</returns>
    public WriteBatch UpdatePayload(string collection, RecordId id, JsonObject patch, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(patch);
        // A copy: the caller may keep editing its object, and the batch must write what was added.
        return Add(new WriteBatchOperation(WriteBatchOperationKind.UpdatePayload, collection, id, @namespace, null, patch.DeepClone().AsObject(), null));
    }

    /// <summary>Sets when the record with this id expires (null clears the expiry); nothing happens when there is no such record.</summary>
    /// <returns>This batch.</returns>
    public WriteBatch SetExpiry(string collection, RecordId id, DateTimeOffset? expiresAt, string? @namespace = null) =>
        Add(new WriteBatchOperation(WriteBatchOperationKind.SetExpiry, collection, id, @namespace, null, null, expiresAt));

    private WriteBatch Add(WriteBatchOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation.Collection, "collection");
        _operations.Add(operation);
        return this;
    }
}
