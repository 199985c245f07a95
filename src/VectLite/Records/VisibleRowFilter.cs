using VectLite.Search;

namespace VectLite.Records;

/// <summary>
/// The row test every read applies: visible in the snapshot (not deleted, not expired), in the requested namespace,
/// and matching the payload filter. A struct so the scan kernels call it without a virtual dispatch.
/// </summary>
internal struct VisibleRowFilter(CollectionState state, Snapshot snapshot, long nowTicks, int namespaceId, Filter? filter) : IRowFilter
{
    /// <summary>True when a namespace or payload filter applies (not only deletion and expiry).</summary>
    public readonly bool HasConditions => namespaceId >= 0 || filter is not null;

    /// <summary>True when every row below the snapshot's row count passes: nothing to test per row.</summary>
    public readonly bool AcceptsAll => namespaceId < 0 && filter is null && !snapshot.AnyDeleted && !snapshot.AnyExpiring;

    public readonly bool Accept(int row)
    {
        // Graph searches can meet nodes whose rows a later batch wrote: outside this snapshot. A node a payload update
        // re-pointed stands for the version this snapshot sees; any other is a record or vector too new for it.
        if ((uint)row >= (uint)snapshot.RowCount && (row = state.VersionIn(row, snapshot)) < 0)
        {
            return false;
        }
        if (!state.IsVisible(row, snapshot, nowTicks))
        {
            return false;
        }
        if (namespaceId < 0 && filter is null)
        {
            return true;
        }
        ref readonly RowMeta meta = ref state.Row(row);
        return (namespaceId < 0 || meta.NamespaceId == namespaceId) && (filter is null || filter.Matches(meta.Payload));
    }
}
