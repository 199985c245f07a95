namespace VectLite;

/// <summary>Options for <see cref="Collection.SearchText"/>.</summary>
public sealed class TextSearchOptions
{
    /// <summary>How many hits to return, 1 to 10,000. Default 10.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>The namespace to search; null (the default) and "" mean the default namespace, as in every call.</summary>
    public string? Namespace { get; init; }

    /// <summary>Search every namespace (then <see cref="Namespace"/> must be null).</summary>
    public bool AllNamespaces { get; init; }

    /// <summary>Only records whose payload matches this filter; null for all.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Return each hit's payload. Default true.</summary>
    public bool IncludePayload { get; init; } = true;

    /// <summary>Return each hit's vectors. Default false.</summary>
    public bool IncludeVectors { get; init; }
}
