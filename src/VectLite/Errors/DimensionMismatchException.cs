namespace VectLite;

/// <summary>A vector's length differs from the dimension its named vector was declared with.</summary>
public sealed class DimensionMismatchException : VectLiteException
{
    /// <summary>Creates the exception for <paramref name="vectorName"/>.</summary>
    public DimensionMismatchException(string vectorName, int expected, int actual)
        : base(VectLiteErrorCode.DimensionMismatch,
            $"Vector '{vectorName}' has dimension {expected}, but the given vector has {actual} components.")
    {
        VectorName = vectorName;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>The named vector the value was meant for.</summary>
    public string VectorName { get; }

    /// <summary>The declared dimension.</summary>
    public int Expected { get; }

    /// <summary>The length that was given.</summary>
    public int Actual { get; }
}
