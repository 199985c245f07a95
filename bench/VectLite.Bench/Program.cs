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
    ScrollCommand.Create(),
    Bm25Command.Create(),
};
return root.Parse(args).Invoke();
