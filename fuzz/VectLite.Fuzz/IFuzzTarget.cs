namespace VectLite.Fuzz;

/// <summary>One fuzzing target: a parser of untrusted bytes, driven the way the engine drives it.</summary>
internal interface IFuzzTarget
{
    /// <summary>The name given on the command line and used for the corpus folder (fuzz/corpus/NAME).</summary>
    string Name { get; }

    /// <summary>
    /// Feeds one input through the parser and the engine code that consumes its result. Returns normally when the
    /// input was accepted or refused with the documented typed exception; anything else escapes and is a finding.
    /// </summary>
    /// <exception cref="FuzzFindingException">An invariant the engine promises did not hold for this input.</exception>
    void Run(ReadOnlySpan<byte> input);
}
