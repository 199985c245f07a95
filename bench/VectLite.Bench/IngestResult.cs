namespace VectLite.Bench;

/// <summary>The repeated runs of one ingest configuration and their medians.</summary>
internal sealed class IngestResult(IngestConfiguration configuration, IReadOnlyList<IngestSample> samples)
{
    /// <summary>What was run.</summary>
    public IngestConfiguration Configuration { get; } = configuration;

    /// <summary>Every timed run, in order.</summary>
    public IReadOnlyList<IngestSample> Samples { get; } = samples;

    /// <summary>The median of the runs' records per second.</summary>
    public double MedianRecordsPerSecond => Statistics.Median(Samples.Select(s => s.RecordsPerSecond));

    /// <summary>The median of the runs' vector megabytes per second.</summary>
    public double MedianMegabytesPerSecond => Statistics.Median(Samples.Select(s => s.MegabytesPerSecond));
}
