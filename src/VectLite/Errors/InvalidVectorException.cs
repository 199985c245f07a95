namespace VectLite;

/// <summary>A vector holds NaN or an infinite component, or is all zeros under the cosine metric.</summary>
public sealed class InvalidVectorException : VectLiteException
{
    /// <summary>Creates the exception; <paramref name="reason"/> completes the sentence "Vector 'x' ...".</summary>
    public InvalidVectorException(string vectorName, string reason)
        : base(VectLiteErrorCode.InvalidVector, $"Vector '{vectorName}' {reason}.")
    {
        VectorName = vectorName;
    }

    /// <summary>The named vector the value was meant for.</summary>
    public string VectorName { get; }
}
