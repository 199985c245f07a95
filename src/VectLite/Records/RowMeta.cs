using System.Diagnostics;
using System.Text.Json;

namespace VectLite.Records;

/// <summary>
/// Everything about one row except its vectors, its deletion mark and its expiry. Written once by the writer before the row is
/// published and never changed after: an update appends a new row instead.
/// </summary>
/// <remarks>
/// 40 bytes: the id (16), the payload element (16), the namespace and the previous row (4 each). The flag
/// <see cref="SharesVectorsWithPrevious"/> lives in the namespace's sign bit (namespace ids are small and never
/// negative): as a field of its own it would round the struct up to 48 bytes, 8 more per row. The expiry, which most
/// rows do not have, is not here but in a column allocated only where rows have one
/// (<see cref="CollectionState.ExpiresAtTicks"/>).
/// </remarks>
internal struct RowMeta
{
    /// <summary>The bit of <see cref="_namespaceAndFlags"/> that holds <see cref="SharesVectorsWithPrevious"/>.</summary>
    private const int SharesVectorsBit = int.MinValue;

    public RecordId Id;

    /// <summary>The row this key had before this one was written (deleted or replaced), or -1. Readers on an older
    /// snapshot walk this chain back to the version they can see.</summary>
    public int PreviousRow;

    /// <summary>The payload object, or <c>default</c> (ValueKind Undefined) for none.</summary>
    public JsonElement Payload;

    /// <summary>The namespace id in the low 31 bits, <see cref="SharesVectorsWithPrevious"/> in the sign bit.</summary>
    private int _namespaceAndFlags;

    /// <summary>The interned namespace (<see cref="NamespaceTable"/>).</summary>
    public int NamespaceId
    {
        readonly get => _namespaceAndFlags & int.MaxValue;
        init
        {
            Debug.Assert(value >= 0, $"a row's namespace id must not be negative, got {value}");
            _namespaceAndFlags = (_namespaceAndFlags & SharesVectorsBit) | value;
        }
    }

    /// <summary>
    /// True when the row was written by a payload or expiry update: its vectors are <see cref="PreviousRow"/>'s, and the
    /// graph node of that row was pointed at this one instead of a node being added.
    /// </summary>
    public bool SharesVectorsWithPrevious
    {
        readonly get => _namespaceAndFlags < 0;
        init => _namespaceAndFlags = value ? _namespaceAndFlags | SharesVectorsBit : _namespaceAndFlags & int.MaxValue;
    }
}
