using System.Text.Json;
using System.Text.Json.Nodes;
using VectLite.Records;
using VectLite.Storage;

namespace VectLite;

/// <summary>
/// The collection's part of a <see cref="WriteBatch"/>: prepared outside the writer lock, resolved to logged outcomes
/// and committed under it by <see cref="Transactions.WriteBatchCommitter"/>, which holds the locks of every collection
/// the batch touches.
/// </summary>
internal sealed partial class CollectionEngine
{
    /// <summary>The writer lock, for <see cref="Transactions.WriteBatchCommitter"/> to hold across collections.</summary>
    internal Lock WriteLock => _writeLock;

    /// <summary>The LSN the next batch will get. The writer lock is held.</summary>
    internal long NextLsn => _lsn + 1;

    /// <summary>Validates the upserts of a batch part against the schema (outside the lock): null entries for other operations.</summary>
    /// <exception cref="VectLiteException">A record does not fit the schema; named as <see cref="UpsertMany(IEnumerable{Record})"/> names it.</exception>
    internal StoredRecord?[] PrepareBatchPart(IReadOnlyList<WriteBatchOperation> operations, DateTimeOffset now)
    {
        CollectionSchema schema = Volatile.Read(ref _state).Schema;
        var prepared = new StoredRecord?[operations.Count];
        for (int i = 0; i < operations.Count; i++)
        {
            WriteBatchOperation op = operations[i];
            if (op.Kind == WriteBatchOperationKind.Upsert)
            {
                prepared[i] = Prepare(schema, op.Record!, now);
            }
            else
            {
                NormalizeNamespace(op.Namespace); // validates it
            }
        }
        return prepared;
    }

    /// <summary>
    /// Resolves a batch part to what the log stores (outcomes: merged payloads, deletes of records that exist), each
    /// operation seeing the ones before it. The writer lock is held; nothing is written.
    /// </summary>
    /// <returns>The operations to log (possibly none) and how many of the caller's operations took effect.</returns>
    /// <exception cref="ReadOnlyDatabaseException">The database was opened read-only.</exception>
    /// <exception cref="InvalidRecordException">A merged payload cannot be stored.</exception>
    internal (List<WalOperation> Logged, int Applied) ResolveBatchPart(IReadOnlyList<WriteBatchOperation> operations, StoredRecord?[] prepared)
    {
        ThrowIfNotWritable("write a batch");
        CollectionState state = _state;
        long now = DateTime.UtcNow.Ticks;
        var logged = new List<WalOperation>(operations.Count);
        // What earlier operations of this part did to a key: null payload object = the record is gone.
        var pending = new Dictionary<(string Ns, RecordId Id), JsonObject?>();
        int applied = 0;
        for (int i = 0; i < operations.Count; i++)
        {
            WriteBatchOperation op = operations[i];
            string ns = NormalizeNamespace(op.Namespace);
            var key = (ns, op.Id);
            switch (op.Kind)
            {
                case WriteBatchOperationKind.Upsert:
                    StoredRecord record = prepared[i]!;
                    logged.Add(WalOperation.Upsert(record));
                    pending[key] = PayloadJson.ToObject(record.Payload) ?? [];
                    applied++;
                    break;
                case WriteBatchOperationKind.Delete:
                    if (pending.TryGetValue(key, out JsonObject? before) ? before is not null : LiveRow(state, ns, op.Id) >= 0)
                    {
                        logged.Add(WalOperation.Delete(op.Id, ns));
                        applied++;
                    }
                    pending[key] = null;
                    break;
                case WriteBatchOperationKind.UpdatePayload:
                    if (CurrentPayload(state, pending, key, now) is { } merged)
                    {
                        JsonMergePatch.Apply(merged, op.Patch!);
                        logged.Add(WalOperation.SetPayload(op.Id, ns, PayloadJson.Encode(merged, $"record {op.Id}")));
                        pending[key] = merged;
                        applied++;
                    }
                    break;
                case WriteBatchOperationKind.SetExpiry:
                    if (CurrentPayload(state, pending, key, now) is { } payload)
                    {
                        logged.Add(WalOperation.SetExpiry(op.Id, ns, op.ExpiresAt is null ? 0 : Math.Max(1, op.ExpiresAt.Value.UtcTicks)));
                        pending[key] = payload;
                        applied++;
                    }
                    break;
            }
        }
        CheckTextFields(logged); // before any part of a transaction is logged (CommitBatchPart does not check)
        return (logged, applied);
    }

    /// <summary>The payload (a fresh copy) of the record an update applies to, as earlier operations left it; null when there is none.</summary>
    private static JsonObject? CurrentPayload(CollectionState state, Dictionary<(string Ns, RecordId Id), JsonObject?> pending, (string Ns, RecordId Id) key, long now)
    {
        if (pending.TryGetValue(key, out JsonObject? earlier))
        {
            return earlier?.DeepClone().AsObject();
        }
        int row = FindRowForUpdate(state, key.Id, key.Ns);
        if (row < 0)
        {
            return null;
        }
        JsonElement current = state.Row(row).Payload;
        return PayloadJson.ToObject(current) ?? [];
    }

    private static int LiveRow(CollectionState state, string ns, RecordId id)
    {
        int nsId = state.Namespaces.Find(ns);
        return nsId < 0 ? -1 : state.FindLiveRow(new RecordKey(nsId, id));
    }

    /// <summary>
    /// Logs, applies and publishes a resolved batch part, fsyncing the log before returning whatever the sync mode (a
    /// part of a transaction must be durable before the transaction record is dropped). The writer lock is held.
    /// </summary>
    /// <param name="operations">What <see cref="ResolveBatchPart"/> returned; not empty.</param>
    /// <param name="expectedLsn">The LSN the transaction record gave this part: the check that no batch slipped in.</param>
    internal void CommitBatchPart(List<WalOperation> operations, long expectedLsn)
    {
        if (NextLsn != expectedLsn)
        {
            throw new InvalidOperationException($"collection '{Name}' is at LSN {_lsn}, but its part of the transaction was recorded for LSN {expectedLsn}");
        }
        Commit(operations, SyncMode.PerOp);
    }

    /// <summary>Logs, applies and publishes a resolved batch part that is the whole batch, as any write does. The writer lock is held.</summary>
    internal void CommitResolved(List<WalOperation> operations) => Commit(operations);

    /// <summary>fsyncs the log with the writer lock held (before a transaction, so its part follows only durable batches).</summary>
    internal void SyncWalLocked() => _wal?.Sync();

    /// <summary>Marks this handle faulted: a transaction it is part of could not be completed here; a reopen completes it.</summary>
    internal void FaultForTransaction(Exception cause)
    {
        _fault ??= cause;
        Log.CollectionFaulted(_database.Logger, Name, _lsn + 1, cause);
    }

    /// <summary>
    /// Completes a transaction part found in the database's transaction log at open: logs and applies it (a writer) or
    /// applies it in memory only (a read-only open), when this collection does not have it yet.
    /// </summary>
    /// <returns>True when the part was missing and has been applied.</returns>
    /// <exception cref="CorruptFileException">The collection is behind the part by more than one batch: batches are missing.</exception>
    internal bool CompleteRecoveredPart(long partLsn, ReadOnlySpan<byte> batch, string transactionLogPath)
    {
        lock (_writeLock)
        {
            if (_lsn >= partLsn)
            {
                return false; // logged (or checkpointed) before the crash
            }
            if (_lsn != partLsn - 1)
            {
                throw new CorruptFileException(transactionLogPath, -1, $"the transaction's part for collection '{Name}' is batch {partLsn}, but the collection ends at batch {_lsn}: batches before it are missing");
            }
            List<WalOperation> operations = WalBatchCodec.Decode(batch);
            if (IsReadOnly)
            {
                CollectionState state = _state;
                foreach (WalOperation op in operations)
                {
                    state.Apply(op, partLsn);
                }
                state.Publish(partLsn);
                _lsn = partLsn;
            }
            else
            {
                Commit(operations, SyncMode.PerOp);
            }
            return true;
        }
    }
}
