namespace VectLite;

/// <summary>No collection has the given name (or it was dropped while a handle to it was still in use).</summary>
public sealed class CollectionNotFoundException : VectLiteException
{
    /// <summary>Creates the exception for <paramref name="name"/>.</summary>
    public CollectionNotFoundException(string name)
        : base(VectLiteErrorCode.CollectionNotFound, $"Collection '{name}' does not exist.")
    {
        Name = name;
    }

    /// <summary>The collection name that was asked for.</summary>
    public string Name { get; }
}
