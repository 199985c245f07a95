using System.Runtime.ExceptionServices;
using VectLite.Indexing;
using VectLite.Storage;

namespace VectLite;

// A large batch's records validated and copied on the insert threads: the ingest's single-threaded share.
internal sealed partial class CollectionEngine
{
    /// <summary>
    /// The records a worker takes at a time when a batch is prepared in parallel: enough that taking the next range is
    /// rare, few enough that the workers end together (a range of 784-d records is about 1.6 MB of vectors to copy).
    /// </summary>
    internal const int PrepareRange = 512;

    /// <summary>
    /// Whether <see cref="UpsertMany(IEnumerable{Record}, CancellationToken)"/> prepares <paramref name="records"/> on
    /// several threads, and on how many: a batch the graph would insert in parallel (at least
    /// <see cref="HnswOptions.ParallelInsertThreshold"/> records, and two ranges) is validated and copied on the same
    /// number of threads, <see cref="HnswOptions.MaxInsertThreads"/> (0: one per core), whether or not the collection
    /// has a graph yet. Only a <see cref="Record"/> array or <see cref="List{T}"/>: a caller's own list type may not
    /// be safe to read from several threads, and an enumeration cannot be split.
    /// </summary>
    private static int PrepareThreads(CollectionSchema schema, IEnumerable<Record> records, out IReadOnlyList<Record> list)
    {
        list = records switch
        {
            Record[] array => array,
            List<Record> items => items,
            _ => [],
        };
        HnswOptions options = schema.Hnsw;
        if (list.Count < Math.Max(options.ParallelInsertThreshold, 2 * PrepareRange))
        {
            return 1;
        }
        int threads = options.MaxInsertThreads > 0 ? options.MaxInsertThreads : Environment.ProcessorCount;
        return Math.Min(threads, (list.Count + PrepareRange - 1) / PrepareRange);
    }

    /// <summary>
    /// Prepares every record of <paramref name="records"/> as <see cref="Prepare"/> does, on <paramref name="threads"/>
    /// threads (the calling one and dedicated helpers, as the graph's parallel insert), and returns the operations in
    /// the records' order (<paramref name="copyVectors"/>: as <see cref="Prepare"/>). Fails as the sequential loop would: with the error of the first record (in order) that is
    /// invalid, whatever thread met it first, and nothing prepared is kept.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before every record was prepared.</exception>
    private List<WalOperation> PrepareInParallel(CollectionSchema schema, IReadOnlyList<Record> records, DateTimeOffset now, int threads, bool copyVectors, CancellationToken cancellationToken)
    {
        var prepared = new WalOperation[records.Count];
        ForEachInRanges(records.Count, threads, i =>
        {
            Record record = records[i];
            ArgumentNullException.ThrowIfNull(record, nameof(records));
            prepared[i] = WalOperation.Upsert(Prepare(schema, record, now, copyVectors));
        }, cancellationToken, PreparingRangeForTests);
        return [.. prepared];
    }

    /// <summary>
    /// Runs <paramref name="item"/> for every index below <paramref name="count"/> on <paramref name="threads"/> threads
    /// (the calling one and dedicated helpers), in ranges of <see cref="PrepareRange"/> taken in order. Fails as a
    /// sequential loop would: with the exception of the lowest index that threw, whatever thread met one first; a range
    /// stops at its first failure, and ranges past a failure are not started. Cancellation stops the threads at their
    /// next range and is thrown after them.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled before every index was run.</exception>
    private static void ForEachInRanges(int count, int threads, Action<int> item, CancellationToken cancellationToken, Action<int>? rangeStarting = null)
    {
        int ranges = (count + PrepareRange - 1) / PrepareRange;
        int cursor = -1;
        var failureLock = new Lock();
        int failedAt = int.MaxValue;
        Exception? failure = null;

        void Work()
        {
            int range;
            while ((range = Interlocked.Increment(ref cursor)) < ranges && !cancellationToken.IsCancellationRequested)
            {
                int start = range * PrepareRange;
                if (start > Volatile.Read(ref failedAt))
                {
                    // Ranges are taken in order: every later one starts past the failure too.
                    return;
                }
                rangeStarting?.Invoke(range);
                int end = Math.Min(count, start + PrepareRange);
                for (int i = start; i < end; i++)
                {
                    try
                    {
                        item(i);
                    }
                    catch (Exception ex)
                    {
                        lock (failureLock)
                        {
                            if (i < failedAt)
                            {
                                failure = ex;
                                Volatile.Write(ref failedAt, i);
                            }
                        }
                        break;
                    }
                }
            }
        }

        DedicatedWorkers.Run(Math.Clamp(threads, 1, Math.Max(1, ranges)), Work);
        if (failure is not null)
        {
            ExceptionDispatchInfo.Throw(failure);
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Test hook: runs on the preparing thread as it starts each range of a batch prepared in parallel (the range's index).</summary>
    internal Action<int>? PreparingRangeForTests { get; set; }
}
