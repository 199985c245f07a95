namespace VectLite;

/// <summary>A collection with the given name exists already.</summary>
public sealed class CollectionExistsException : VectLiteException
{
    /// <summary>Creates the exception for <paramref name="name"/>.</summary>
    public CollectionExistsException(string name)
        : base(VectLiteErrorCode.CollectionExists, $"Collection '{name}' already exists.")
    {
        Name = name;
    }

    /// <summary>The collection name.</summary>
    public string Name { get; }
}
