namespace VectLite.Bench;

/// <summary>How loading the base vectors for the exact-scan benchmark went.</summary>
/// <param name="Records">Base vectors loaded.</param>
/// <param name="Dimension">Their dimension.</param>
/// <param name="ReadTime">Time to read base.fvecs into the harness's array (not VectLite).</param>
/// <param name="IngestTime">Time for the <c>UpsertMany</c> calls and the final flush.</param>
/// <param name="PeakWorkingSetBytes">The process's peak working set right after ingest.</param>
/// <param name="HarnessCopyBytes">Of which the harness's own copy of base.fvecs (alive during ingest).</param>
/// <param name="SteadyWorkingSetBytes">The working set once that copy is collected, or -1 if not measured.</param>
internal sealed record ExactIngestSummary(int Records, int Dimension, TimeSpan ReadTime, TimeSpan IngestTime, long PeakWorkingSetBytes, long HarnessCopyBytes, long SteadyWorkingSetBytes)
{
    /// <summary>Records ingested per second.</summary>
    public double RecordsPerSecond => Records / IngestTime.TotalSeconds;

    /// <summary>Bytes of vector data in the collection (float32).</summary>
    public long VectorBytes => (long)Records * Dimension * sizeof(float);
}
