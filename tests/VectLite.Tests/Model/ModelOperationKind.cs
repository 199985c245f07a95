namespace VectLite.Tests.Model;

/// <summary>What a step of a model-based test does to the collection.</summary>
internal enum ModelOperationKind
{
    Upsert,
    UpsertMany,
    Delete,
    DeleteMany,
    DeleteByFilter,
    DeleteByFilterInAllNamespaces,
    UpdatePayload,
    SetExpiry,
    ClearExpiry,
    CreatePayloadIndex,
    DropPayloadIndex,
    Compact,
    Flush,
    Reopen,
    ReopenReadOnly,
    OpenReadOnlyBeside,
}
