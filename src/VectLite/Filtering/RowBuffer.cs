namespace VectLite.Filtering;

/// <summary>A growable list of row ids that one query collects and then turns into a sorted, de-duplicated array.</summary>
internal sealed class RowBuffer
{
    private int[] _rows = new int[16];
    private int _count;
    private bool _sorted = true;

    /// <summary>How many rows have been added (duplicates included).</summary>
    public int Count => _count;

    /// <summary>Appends one row id.</summary>
    public void Add(int row)
    {
        if (_count == _rows.Length)
        {
            Array.Resize(ref _rows, _rows.Length * 2);
        }

        // Tracking order lets the common case (one ascending posting list) skip the sort.
        if (_count > 0 && row < _rows[_count - 1])
        {
            _sorted = false;
        }

        _rows[_count++] = row;
    }

    /// <summary>The rows added so far, ascending and without duplicates, in a new array.</summary>
    public int[] ToSortedUniqueArray()
    {
        if (_count == 0)
        {
            return [];
        }

        if (!_sorted)
        {
            Array.Sort(_rows, 0, _count);
        }

        int unique = 1;
        for (int i = 1; i < _count; i++)
        {
            if (_rows[i] != _rows[unique - 1])
            {
                _rows[unique++] = _rows[i];
            }
        }

        return _rows.AsSpan(0, unique).ToArray();
    }
}
