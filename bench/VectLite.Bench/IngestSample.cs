namespace VectLite.Bench;

/// <summary>One timed ingest run.</summary>
/// <param name="Records">Records written.</param>
/// <param name="Elapsed">Wall time from the first write call to the end of the final <c>Flush</c>.</param>
/// <param name="VectorBytesPerRecord">Bytes of vector data per record, for <see cref="MegabytesPerSecond"/>.</param>
internal readonly record struct IngestSample(int Records, TimeSpan Elapsed, long VectorBytesPerRecord)
{
    /// <summary>Records acknowledged per second.</summary>
    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;

    /// <summary>Vector data written per second, in MB (10^6 bytes).</summary>
    public double MegabytesPerSecond => RecordsPerSecond * VectorBytesPerRecord / 1e6;
}
