using System.Text.Json;

namespace VectLite.Records;

/// <summary>
/// A row's id and payload: what every row has and every read returns. Written once by the writer before the row is
/// published and never changed after: an update appends a new row instead.
/// </summary>
/// <remarks>
/// 32 bytes: the id (16) and the payload element (16). What most rows leave at a default lives in columns that hold
/// memory only in the 4,096-row chunks where a row has another value (<see cref="SparseColumn{T}"/>): the namespace (the default one), the previous row and the "shares vectors" flag
/// (none: a row written by a checkpoint's load or compaction replaces nothing), the expiry (never) and the deletion mark
/// (live); see <see cref="CollectionState.NamespaceOf"/>, <see cref="CollectionState.PreviousRow"/> and
/// <see cref="CollectionState.SharesVectorsWithPrevious"/>. With the namespace and the previous row here, a row took 40
/// bytes, 8 more per row of a collection that uses neither.
/// </remarks>
internal struct RowMeta
{
    public RecordId Id;

    /// <summary>The payload object, or <c>default</c> (ValueKind Undefined) for none.</summary>
    public JsonElement Payload;
}
