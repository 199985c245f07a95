using VectLite.Storage;

namespace VectLite.Transactions;

/// <summary>
/// Completes, at open, the transactions a crash interrupted after their commit point (<see cref="TransactionLog"/>):
/// every part a collection's log lacks is logged and applied there (a writer open, which then empties the transaction
/// log), or applied in memory when the collection is loaded (a read-only open, which changes no file).
/// </summary>
internal static class TransactionRecovery
{
    /// <summary>
    /// Writer open: completes every committed transaction in the log, loading each collection it touches, then empties
    /// the log. Returns how many parts were missing and have been completed.
    /// </summary>
    /// <exception cref="CorruptFileException">The transaction log is damaged, or a collection lacks batches before its part.</exception>
    public static int CompleteOnOpen(DatabaseEngine database, CancellationToken cancellationToken)
    {
        List<TransactionRecord> records = TransactionLog.ReadCommitted(database.Path);
        if (records.Count == 0)
        {
            return 0;
        }
        string path = TransactionLog.PathIn(database.Path);
        int completed = 0;
        foreach (TransactionRecord record in records)
        {
            foreach (TransactionPart part in record.Parts)
            {
                if (!database.TryGetCollection(part.Collection, out CollectionEngine? collection, cancellationToken))
                {
                    throw new CorruptFileException(path, -1, $"a committed transaction has a part for collection '{part.Collection}', which does not exist");
                }
                if (collection.CompleteRecoveredPart(part.Lsn, part.Batch, path))
                {
                    completed++;
                }
            }
        }
        Log.TransactionsRecovered(database.Logger, records.Count, completed);
        database.TransactionLog().Clear();
        return completed;
    }

    /// <summary>Read-only open: the parts of the committed transactions in the log, by collection, for <see cref="ApplyPending"/>.</summary>
    /// <exception cref="CorruptFileException">The transaction log is damaged.</exception>
    public static Dictionary<string, List<TransactionPart>> ReadPending(string databasePath)
    {
        var pending = new Dictionary<string, List<TransactionPart>>(StringComparer.Ordinal);
        foreach (TransactionRecord record in TransactionLog.ReadCommitted(databasePath))
        {
            foreach (TransactionPart part in record.Parts)
            {
                if (!pending.TryGetValue(part.Collection, out List<TransactionPart>? parts))
                {
                    pending[part.Collection] = parts = [];
                }
                parts.Add(part);
            }
        }
        return pending;
    }

    /// <summary>Read-only open: applies in memory the parts a just-loaded collection lacks.</summary>
    public static void ApplyPending(Dictionary<string, List<TransactionPart>>? pending, CollectionEngine collection, string databasePath)
    {
        if (pending is not null && pending.TryGetValue(collection.Name, out List<TransactionPart>? parts))
        {
            foreach (TransactionPart part in parts)
            {
                collection.CompleteRecoveredPart(part.Lsn, part.Batch, TransactionLog.PathIn(databasePath));
            }
        }
    }
}
