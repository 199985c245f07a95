namespace VectLite.Bench;

/// <summary>One ingest configuration: a dimension, a WAL sync mode and how many records each write call carries.</summary>
/// <param name="Dimension">Vector dimension (cosine).</param>
/// <param name="SyncMode">The database's sync mode.</param>
/// <param name="BatchSize">Records per call: 1 means one <c>Upsert</c> per record (one WAL batch each); more means <c>UpsertMany</c>.</param>
internal sealed record IngestConfiguration(int Dimension, SyncMode SyncMode, int BatchSize)
{
    /// <summary>"PerOp", "EveryN(16)", "OnFlush", or "PerOp, UpsertMany x 1,000".</summary>
    public string Label => BatchSize == 1 ? SyncMode.ToString() : $"{SyncMode}, UpsertMany x {Format.Count(BatchSize)}";

    /// <summary>Bytes of vector data one record carries (float32 components).</summary>
    public long VectorBytesPerRecord => Dimension * sizeof(float);
}
