using VectLite.Storage;

namespace VectLite.Transactions;

/// <summary>
/// Applies a <see cref="WriteBatch"/> all or nothing: validates every operation, takes the writer lock of every
/// collection it touches (in name order, so two batches cannot deadlock), resolves each collection's part, and commits:
/// a part touching one collection is one ordinary log batch; parts touching several go through the database's
/// <see cref="TransactionLog"/> first (its protocol is there).
/// </summary>
internal static class WriteBatchCommitter
{
    /// <summary>Commits <paramref name="batch"/> on <paramref name="database"/>.</summary>
    /// <returns>How many operations took effect (an update or delete of a record that does not exist does not).</returns>
    /// <exception cref="CollectionNotFoundException">The batch names a collection that does not exist; nothing was written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the commit point; nothing was written.</exception>
    /// <exception cref="StorageException">
    /// The transaction log could not be written (nothing was committed), or a part could not be written after the
    /// commit point: the batch is committed, the collections that lack their part refuse writes, and the next open of
    /// the database completes it.
    /// </exception>
    public static int Commit(DatabaseEngine database, WriteBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (database.IsReadOnly)
        {
            throw new ReadOnlyDatabaseException("write a batch");
        }
        // Each collection's operations, in the order they were added; collections in name order (the lock order).
        var byCollection = new SortedDictionary<string, List<WriteBatchOperation>>(StringComparer.Ordinal);
        foreach (WriteBatchOperation op in batch.Operations)
        {
            if (!byCollection.TryGetValue(op.Collection, out List<WriteBatchOperation>? list))
            {
                byCollection[op.Collection] = list = [];
            }
            list.Add(op);
        }
        if (byCollection.Count == 0)
        {
            return 0;
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        var parts = new List<(CollectionEngine Engine, IReadOnlyList<WriteBatchOperation> Operations, StoredRecord?[] Prepared)>(byCollection.Count);
        foreach ((string name, List<WriteBatchOperation> operations) in byCollection)
        {
            if (!database.TryGetCollection(name, out CollectionEngine? engine, cancellationToken))
            {
                throw new CollectionNotFoundException(name);
            }
            parts.Add((engine, operations, engine.PrepareBatchPart(operations, now)));
        }
        cancellationToken.ThrowIfCancellationRequested();

        lock (database.TransactionGate)
        {
            int locked = 0;
            try
            {
                foreach (var part in parts)
                {
                    part.Engine.WriteLock.Enter();
                    locked++;
                }
                int applied = 0;
                var resolved = new List<(CollectionEngine Engine, List<Storage.WalOperation> Logged)>(parts.Count);
                foreach (var part in parts)
                {
                    (List<Storage.WalOperation> logged, int count) = part.Engine.ResolveBatchPart(part.Operations, part.Prepared);
                    applied += count;
                    if (logged.Count > 0)
                    {
                        resolved.Add((part.Engine, logged));
                    }
                }
                cancellationToken.ThrowIfCancellationRequested(); // the last point before anything is logged
                if (resolved.Count == 1)
                {
                    resolved[0].Engine.CommitResolved(resolved[0].Logged);
                }
                else if (resolved.Count > 1 && database.IsInMemory)
                {
                    foreach ((CollectionEngine engine, List<Storage.WalOperation> logged) in resolved)
                    {
                        engine.CommitResolved(logged); // nothing is logged in memory: no crash to survive
                    }
                }
                else if (resolved.Count > 1)
                {
                    CommitAcross(database, resolved);
                }
                return applied;
            }
            finally
            {
                for (int i = locked - 1; i >= 0; i--)
                {
                    parts[i].Engine.WriteLock.Exit();
                }
            }
        }
    }

    private static void CommitAcross(DatabaseEngine database, List<(CollectionEngine Engine, List<Storage.WalOperation> Logged)> parts)
    {
        var buffer = new BinaryBuffer();
        var recordParts = new List<TransactionPart>(parts.Count);
        foreach ((CollectionEngine engine, List<Storage.WalOperation> logged) in parts)
        {
            engine.SyncWalLocked(); // the part must follow durable batches only: recovery places it by LSN
            WalBatchCodec.Encode(logged, buffer);
            recordParts.Add(new TransactionPart(engine.Name, engine.NextLsn, buffer.WrittenSpan.ToArray()));
        }
        TransactionLog log = database.TransactionLog();
        log.Commit(new TransactionRecord(recordParts)); // the commit point
        database.TransactionCommittedForTests?.Invoke();

        for (int i = 0; i < parts.Count; i++)
        {
            try
            {
                parts[i].Engine.CommitBatchPart(parts[i].Logged, recordParts[i].Lsn);
            }
            catch (Exception ex)
            {
                // Committed, yet this part (and those after it) are not in their logs: a later batch there would take
                // the part's LSN. Those collections refuse writes until a reopen completes the transaction.
                for (int j = i; j < parts.Count; j++)
                {
                    parts[j].Engine.FaultForTransaction(ex);
                }
                throw new StorageException(VectLiteErrorCode.StorageFailure, TransactionLog.PathIn(database.Path),
                    $"complete a committed write batch in collection '{parts[i].Engine.Name}' (the batch is committed: reopening the database completes it)", ex);
            }
        }
        try
        {
            log.Clear();
        }
        catch (StorageException ex)
        {
            // Every part is durable in its own log; the record left behind is found complete by the next recovery.
            Log.TransactionLogNotCleared(database.Logger, ex);
        }
    }
}
