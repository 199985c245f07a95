using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace VectLite.Bench;

/// <summary>
/// <c>ingest [--dims 128,768] [--repeats 3] [--seconds 3] [--without-index] [--out FILE]</c>: single-record write throughput under each
/// WAL sync mode, with a batched run for reference, against the target OnFlush >= 5x PerOp.
/// <c>ingest --deferred [--records 100000] [--dims 768] [--queries 200] [--repeats 3] [--out FILE]</c>: single-record
/// writes with immediate against deferred indexing (<see cref="DeferredIngestRunner"/>), OnFlush.
/// </summary>
internal static class IngestCommand
{
    /// <summary>The target: OnFlush ingest at least this many times PerOp's.</summary>
    public const double TargetOnFlushOverPerOp = 5.0;

    /// <summary>Batches between fsyncs in the EveryN configuration.</summary>
    public const int EveryNInterval = 16;

    /// <summary>Records per call in the batched reference run.</summary>
    public const int ReferenceBatchSize = 1_000;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var dims = new Option<int[]>("--dims")
        {
            Description = "Vector dimensions, comma-separated.",
            DefaultValueFactory = _ => [128, 768],
            CustomParser = ParseDimensions,
        };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per configuration (the median is reported).", DefaultValueFactory = _ => 3 };
        var seconds = new Option<double>("--seconds") { Description = "Intended length of one timed run, in seconds.", DefaultValueFactory = _ => 3.0 };
        var withoutIndex = new Option<bool>("--without-index") { Description = "Never build an HNSW graph (MinIndexedVectors = int.MaxValue): time the log and storage path alone." };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown report (default bench/results/ingest.md, or ingest-deferred.md with --deferred)." };
        var deferred = new Option<bool>("--deferred") { Description = "Compare immediate and deferred indexing instead: --records single-record upserts of --dims (first value) vectors, OnFlush; writes/s, catch-up time, recall@10." };
        var records = new Option<int>("--records") { Description = "With --deferred: records written per run.", DefaultValueFactory = _ => 100_000 };
        var ef = new Option<int>("--ef") { Description = "With --deferred: ef of the recall searches (0: the collection's automatic choice). Random Gaussian vectors need a large one for high recall.", DefaultValueFactory = _ => 0 };
        var queries = new Option<int>("--queries") { Description = "With --deferred: queries for recall@10 and q/s.", DefaultValueFactory = _ => 200 };
        records.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1_000) { r.AddError("--records must be at least 1,000."); } });
        queries.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--queries must be at least 1."); } });
        repeats.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--repeats must be at least 1."); } });
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<double>() <= 0) { r.AddError("--seconds must be positive."); } });

        var command = new Command("ingest", "Single-record Upsert throughput per WAL sync mode (PerOp, EveryN(16), OnFlush), plus UpsertMany x 1,000 for reference.")
        {
            dims, repeats, seconds, withoutIndex, output, deferred, records, queries, ef,
        };
        command.SetAction(result =>
        {
            if (result.GetValue(deferred))
            {
                int[] chosen = result.GetValue(dims) is { Length: > 0 } given && result.GetResult(dims) is { Implicit: false } ? given : [768];
                var comparison = new DeferredIngestRunner(result.GetValue(records), chosen[0], result.GetValue(queries), SyncMode.OnFlush, result.GetValue(ef));
                List<DeferredIngestResult> runs = comparison.Measure(result.GetValue(repeats));
                DeferredIngestReport.Write(MachineInfo.Collect(), comparison, runs, result.GetValue(output) ?? BenchPaths.DefaultResult("ingest-deferred.md"));
                return 0;
            }
            var runner = new IngestRunner(result.GetValue(seconds), result.GetValue(withoutIndex));
            Run(result.GetRequiredValue(dims), result.GetValue(repeats), runner, result.GetValue(output) ?? BenchPaths.DefaultResult("ingest.md"));
            return 0;
        });
        return command;
    }

    private static void Run(int[] dimensions, int repeats, IngestRunner runner, string output)
    {
        MachineInfo machine = MachineInfo.Collect();
        var results = new List<IngestResult>();
        foreach (int dimension in dimensions)
        {
            foreach (IngestConfiguration configuration in ConfigurationsFor(dimension))
            {
                results.Add(runner.Measure(configuration, repeats));
            }
        }
        IngestReport.Write(machine, results, repeats, runner, output);
    }

    /// <summary>The four configurations per dimension; PerOp first, as the baseline of the ratios.</summary>
    public static IEnumerable<IngestConfiguration> ConfigurationsFor(int dimension) =>
    [
        new(dimension, SyncMode.PerOp, 1),
        new(dimension, SyncMode.EveryN(EveryNInterval), 1),
        new(dimension, SyncMode.OnFlush, 1),
        new(dimension, SyncMode.PerOp, ReferenceBatchSize),
    ];

    private static int[] ParseDimensions(ArgumentResult result)
    {
        var list = new List<int>();
        foreach (Token token in result.Tokens)
        {
            foreach (string part in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int dimension) || dimension < 1 || dimension > VectorSpec.MaxDimension)
                {
                    result.AddError($"--dims: '{part}' is not a dimension from 1 to {VectorSpec.MaxDimension}.");
                    return [];
                }
                list.Add(dimension);
            }
        }
        if (list.Count == 0)
        {
            result.AddError("--dims: give at least one dimension, e.g. --dims 128,768.");
        }
        return [.. list];
    }
}
