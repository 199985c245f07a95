using System.Text.Json.Nodes;

namespace VectLite.CrashLoop;

/// <summary>
/// The process the loop kills: opens the database, then writes forever (batched upserts with repeated ids, deletes,
/// payload patches, and checkpoints), journalling every operation around its engine call. It tells the parent on
/// standard output when it is <c>ready</c> and when it enters (<c>compact-begin</c>) and leaves (<c>compact-end</c>) a
/// checkpoint, so the parent can aim kills at checkpoints and prove where they landed.
/// </summary>
public static class WriterChild
{
    /// <summary>The collection the loop writes.</summary>
    public const string CollectionName = "crash";

    /// <summary>Ids are drawn from 0 to this bound (exclusive) in each namespace, so updates and deletes hit live records and the database stays small.</summary>
    public const int IdRange = 1_000;

    /// <summary>The namespaces records are written to.</summary>
    public static readonly IReadOnlyList<string> Namespaces = ["", "tenant"];

    /// <summary>Never returns: writes until it is killed.</summary>
    public static void Run(string databasePath, string journalPath, SyncMode syncMode, int seed, long firstSequence)
    {
        using Database db = Database.Open(databasePath, new DatabaseOptions { SyncMode = syncMode });
        Collection collection = db.GetOrCreateCollection(CollectionName, CollectionSchema.SingleVector(GeneratedVectors.Dimension, Metric.L2));
        using Journal journal = Journal.Open(journalPath);
        var random = new Random(seed);
        TextWriter signals = Console.Out;
        signals.WriteLine("ready");
        signals.Flush();
        for (long sequence = firstSequence; ; sequence++)
        {
            int dice = random.Next(100);
            if (dice < 8)
            {
                signals.WriteLine("compact-begin");
                signals.Flush();
                collection.Compact();
                signals.WriteLine("compact-end");
                signals.Flush();
                continue;
            }
            JournalOperation operation = dice switch
            {
                < 60 => new JournalOperation(sequence, JournalOperationKind.Upsert, RandomNamespace(random), RandomIds(random, random.Next(1, 41)), null),
                < 80 => new JournalOperation(sequence, JournalOperationKind.Delete, RandomNamespace(random), RandomIds(random, random.Next(1, 11)), null),
                _ => new JournalOperation(sequence, JournalOperationKind.Patch, RandomNamespace(random), RandomIds(random, 1), RandomPatch(random, sequence)),
            };
            journal.Intend(operation);
            long result = Perform(collection, operation);
            journal.Acknowledge(sequence, result);
        }
    }

    private static long Perform(Collection collection, JournalOperation operation)
    {
        switch (operation.Kind)
        {
            case JournalOperationKind.Upsert:
                var records = new List<Record>(operation.Ids.Length);
                for (int k = 0; k < operation.Ids.Length; k++)
                {
                    ulong id = operation.Ids[k];
                    records.Add(new Record(id, GeneratedVectors.For(operation.Namespace, id, operation.Sequence, k), new JsonObject { ["seq"] = operation.Sequence, ["k"] = k })
                    {
                        Namespace = operation.Namespace,
                    });
                }
                if (records.Count == 1)
                {
                    collection.Upsert(records[0]);
                    return 1;
                }
                return collection.UpsertMany(records);
            case JournalOperationKind.Delete:
                return collection.DeleteMany(operation.Ids.Select(id => (RecordId)id), operation.Namespace);
            default:
                return collection.UpdatePayload(operation.Ids[0], operation.Patch!, operation.Namespace) ? 1 : 0;
        }
    }

    private static string RandomNamespace(Random random) => Namespaces[random.Next(Namespaces.Count)];

    private static ulong[] RandomIds(Random random, int count)
    {
        var ids = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            // one id in five repeats an earlier one of the batch, so "last write wins" is exercised across crashes
            ids[i] = i > 0 && random.Next(5) == 0 ? ids[random.Next(i)] : (ulong)random.Next(IdRange);
        }
        return ids;
    }

    private static JsonObject RandomPatch(Random random, long sequence) => random.Next(3) switch
    {
        0 => new JsonObject { ["p"] = sequence, ["q"] = null },
        1 => new JsonObject { ["q"] = new JsonObject { ["r"] = sequence % 5, ["s"] = null } },
        _ => new JsonObject { ["p"] = null, ["q"] = new JsonObject { ["s"] = "x" } },
    };
}
