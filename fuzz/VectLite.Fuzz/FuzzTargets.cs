namespace VectLite.Fuzz;

/// <summary>Every target, by the name given on the command line.</summary>
public static class FuzzTargets
{
    private static readonly IFuzzTarget[] All =
    [
        new WalTarget(),
        new WalFramesTarget(),
        new WalBatchTarget(),
        new ManifestTarget(),
        CheckpointFileTarget.Records,
        CheckpointFileTarget.Vectors,
        CheckpointFileTarget.Graph,
        new FilterTarget(),
    ];

    /// <summary>The target names, in the order the README lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(t => t.Name).ToArray();

    /// <summary>
    /// Runs one input through target <paramref name="name"/>. Returns normally when the engine accepted the input or
    /// refused it with its documented typed exception; anything else (an untyped exception, a
    /// <see cref="FuzzFindingException"/>, an allocation above <see cref="AllocationLimitBytes"/>) escapes.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a target.</exception>
    public static void Run(string name, ReadOnlySpan<byte> input)
    {
        IFuzzTarget target = All.FirstOrDefault(t => t.Name == name)
            ?? throw new ArgumentException($"Unknown fuzz target '{name}'; the targets are {string.Join(", ", Names)}.", nameof(name));
        long before = GC.GetAllocatedBytesForCurrentThread();
        target.Run(input);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > AllocationLimitBytes)
        {
            throw new FuzzFindingException($"a {input.Length}-byte input made the engine allocate {allocated:N0} bytes");
        }
    }

    /// <summary>
    /// The managed allocation one input may cause. The seeds need about 1 MB (mostly the 1 MB FileStream buffer
    /// per checkpoint file); a length field trusted without a bound is what pushes past this. An attempt to
    /// allocate gigabytes at once is caught sooner, by the heap limit run.sh sets (an OutOfMemoryException).
    /// </summary>
    public const long AllocationLimitBytes = 256L << 20;
}
