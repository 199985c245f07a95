using System.CommandLine;
using VectLite.Bench;

var root = new RootCommand("VectLite benchmarks: whole-system ingest and exact-scan throughput, with the peer in the same run.")
{
    IngestCommand.Create(),
    ExactScanCommand.Create(),
};
return root.Parse(args).Invoke();
