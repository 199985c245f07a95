namespace VectLite.Records;

/// <summary>
/// The order a scroll lists records in: by namespace name (ordinal), then by id (<see cref="RecordId.CompareTo"/>),
/// as <see cref="OrderedKeyIndex"/> keeps them.
/// </summary>
internal sealed class ScrollOrder : IComparer<(string Namespace, RecordId Id)>
{
    /// <summary>Scroll order.</summary>
    public static readonly ScrollOrder Ascending = new(descending: false);

    /// <summary>The reverse, for a max-heap of the smallest keys.</summary>
    public static readonly ScrollOrder Descending = new(descending: true);

    private readonly bool _descending;

    private ScrollOrder(bool descending) => _descending = descending;

    /// <inheritdoc/>
    public int Compare((string Namespace, RecordId Id) x, (string Namespace, RecordId Id) y)
    {
        int order = string.CompareOrdinal(x.Namespace, y.Namespace);
        if (order == 0)
        {
            order = x.Id.CompareTo(y.Id);
        }
        return _descending ? -order : order;
    }
}
