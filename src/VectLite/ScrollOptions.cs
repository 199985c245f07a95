namespace VectLite;

/// <summary>Options for <see cref="Collection.Scroll"/>: one page of records in id order.</summary>
public sealed class ScrollOptions
{
    /// <summary>Records per page, 1 to 10,000. Default 100.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>The <see cref="ScrollPage.NextCursor"/> of the previous page, or null to start at the beginning.</summary>
    public string? Cursor
    {
        get => _cursor;
        init => _cursor = value;
    }

    private string? _cursor;

    /// <summary>Only this namespace; null for all (ordered by namespace, then id).</summary>
    public string? Namespace { get; init; }

    /// <summary>Only records matching this filter.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Return payloads. Default true.</summary>
    public bool IncludePayload { get; init; } = true;

    /// <summary>Return vectors. Default false.</summary>
    public bool IncludeVectors { get; init; }

    /// <summary>A copy of these options, every setting kept, that starts at <paramref name="cursor"/> (the next page).</summary>
    internal ScrollOptions WithCursor(string? cursor)
    {
        var copy = (ScrollOptions)MemberwiseClone();
        copy._cursor = cursor;
        return copy;
    }
}
