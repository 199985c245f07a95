using System.CommandLine;
using VectLite.Bench;

var root = new RootCommand("VectLite benchmarks: whole-system ingest, exact-scan and HNSW throughput, with the peer in the same run.")
{
    IngestCommand.Create(),
    ExactScanCommand.Create(),
    HnswCommand.Create(),
    AutoCheckpointCommand.Create(),
    CosineCommand.Create(),
    CosineKernelsCommand.Create(),
    FilteredCommand.Create(),
    QuantizedCommand.Create(),
    MemoryPerVectorCommand.Create(),
    LargerThanRamCommand.Create(),
    ScrollCommand.Create(),
    RetrievalCommand.Create(),
    EmbedDatasetCommand.Create(),
    SparseCommand.Create(),
    MultiVectorCommand.Create(),
    ServeLoadCommand.Create(),
    ValueGraphsReopenCommand.Create(),
};
return root.Parse(args).Invoke();
