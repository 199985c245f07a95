namespace VectLite;

/// <summary>Options for <see cref="Collection.Scroll"/>: one page of records in id order.</summary>
public sealed class ScrollOptions
{
    /// <summary>Records per page, 1 to 10,000. Default 100.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>
    /// The <see cref="ScrollPage.NextCursor"/> of the previous page, or null to start at the beginning. It must come from
    /// a scroll of the same scope (the same <see cref="Namespace"/>, or <see cref="AllNamespaces"/>).
    /// </summary>
    public string? Cursor
    {
        get => _cursor;
        init => _cursor = value;
    }

    private string? _cursor;

    /// <summary>
    /// The namespace to list. Null (the default) and "" both mean the default namespace, as in every other call;
    /// records in other namespaces are never listed unless <see cref="AllNamespaces"/> is set.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// List every namespace, ordered by namespace (ordinal) and then id. Default false. Setting it together with a
    /// non-null <see cref="Namespace"/> is an <see cref="ArgumentException"/>. A cursor remembers its scope: a cursor from
    /// an all-namespaces scroll continues only an all-namespaces scroll, and one from a one-namespace scroll only a scroll
    /// of that same namespace.
    /// </summary>
    public bool AllNamespaces { get; init; }

    /// <summary>
    /// Start the page at this id, inclusive (the records of the scroll's namespace whose id sorts at or after it), instead
    /// of at the beginning or a <see cref="Cursor"/>: how Qdrant's scroll offset works. Null (the default) for none.
    /// Setting it together with <see cref="Cursor"/> or <see cref="AllNamespaces"/> is an <see cref="ArgumentException"/>.
    /// </summary>
    public RecordId? StartAt
    {
        get => _startAt;
        init => _startAt = value;
    }

    private RecordId? _startAt;

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
        copy._startAt = null; // the cursor continues after the previous page, which began at StartAt

        return copy;
    }
}
