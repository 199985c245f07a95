namespace VectLite.Fuzz;

/// <summary>
/// Thrown by a harness when the engine accepted an input but broke a promise while doing so (a filter that does not
/// survive its canonical round trip, an index that disagrees with a scan, an acknowledged write that is gone). It is
/// never caught by the harness, so the fuzzer records the input as a crash.
/// </summary>
public sealed class FuzzFindingException : Exception
{
    /// <summary>Creates a finding with a description of the broken promise.</summary>
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates a finding with a description and the exception that revealed it.</summary>
    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates a finding with no description (for serializers; harnesses always give one).</summary>
    public FuzzFindingException()
    {
    }
}
