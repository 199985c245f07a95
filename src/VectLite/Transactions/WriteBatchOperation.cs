using System.Text.Json.Nodes;

namespace VectLite;

/// <summary>What a <see cref="WriteBatch"/> operation does.</summary>
internal enum WriteBatchOperationKind
{
    Upsert,
    Delete,
    UpdatePayload,
    SetExpiry,
}

/// <summary>One operation of a <see cref="WriteBatch"/>.</summary>
internal sealed record WriteBatchOperation(
    WriteBatchOperationKind Kind, string Collection, RecordId Id, string? Namespace, Record? Record, JsonObject? Patch, DateTimeOffset? ExpiresAt);
