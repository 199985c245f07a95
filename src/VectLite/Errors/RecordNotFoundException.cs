namespace VectLite;

/// <summary>
/// A call that needs an existing record named one that is absent, deleted or expired in that namespace: raised by
/// <see cref="Collection.SearchById"/>, as Qdrant's recommend API answers "no point with id" for a missing example.
/// Reads that can answer "nothing" (<see cref="Collection.Get"/>) return null instead.
/// </summary>
public sealed class RecordNotFoundException : VectLiteException
{
    /// <summary>Creates the exception for record <paramref name="id"/> in <paramref name="namespace"/> ("" for the default one).</summary>
    public RecordNotFoundException(RecordId id, string @namespace)
        : base(VectLiteErrorCode.RecordNotFound, @namespace.Length == 0
            ? $"No record with id {id} in the default namespace (absent, deleted or expired)."
            : $"No record with id {id} in namespace '{@namespace}' (absent, deleted or expired).")
    {
        Id = id;
        Namespace = @namespace;
    }

    /// <summary>The id that was asked for.</summary>
    public RecordId Id { get; }

    /// <summary>The namespace it was looked up in ("" for the default one).</summary>
    public string Namespace { get; }
}
