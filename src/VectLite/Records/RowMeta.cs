using System.Text.Json;

namespace VectLite.Records;

/// <summary>
/// Everything about one row except its vectors and its deletion mark. Written once by the writer before the row is
/// published and never changed after: an update appends a new row instead.
/// </summary>
internal struct RowMeta
{
    public RecordId Id;

    public int NamespaceId;

    /// <summary>The row this key had before this one was written (deleted or replaced), or -1. Readers on an older
    /// snapshot walk this chain back to the version they can see.</summary>
    public int PreviousRow;

    /// <summary>UTC ticks after which the row is invisible; 0 for never.</summary>
    public long ExpiresAtTicks;

    /// <summary>The payload object, or <c>default</c> (ValueKind Undefined) for none.</summary>
    public JsonElement Payload;

    /// <summary>
    /// True when the row was written by a payload or expiry update: its vectors are <see cref="PreviousRow"/>'s, and the
    /// graph node of that row was pointed at this one instead of a node being added.
    /// </summary>
    public bool SharesVectorsWithPrevious;
}
