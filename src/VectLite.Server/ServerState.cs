using System.Collections.Concurrent;
using VectLite.Server.Http;

namespace VectLite.Server;

/// <summary>
/// What every endpoint shares: the database (owned by <see cref="QdrantServer"/>), the options, and one write gate per
/// collection.
/// </summary>
/// <remarks>
/// The engine already serialises writes; the gate exists for the payload endpoints, which read a point's payload and
/// write the new one (Qdrant's set/overwrite/delete-keys semantics are not a JSON merge patch), so no other write
/// through the server may slip between the read and the write. Every write endpoint takes it, reads never do.
/// </remarks>
internal sealed class ServerState(Database database, QdrantServerOptions options)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);
    private long _operationId;

    public Database Database { get; } = database;

    public QdrantServerOptions Options { get; } = options;

    /// <summary>The collection, or 404 in Qdrant's words (a name VectLite could not even store does not exist either).</summary>
    public Collection Collection(string name)
    {
        try
        {
            if (Database.TryGetCollection(name, out Collection? collection))
            {
                return collection;
            }
        }
        catch (InvalidNameException)
        {
        }
        throw QdrantException.CollectionNotFound(name);
    }

    /// <summary>Runs a write to <paramref name="collection"/> alone among the server's writes to it; returns its operation id.</summary>
    public async Task<long> Write(string collection, Action write, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = _gates.GetOrAdd(collection, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            write();
        }
        finally
        {
            gate.Release();
        }
        return Interlocked.Increment(ref _operationId);
    }

    /// <summary>Refuses a batch above the limit before anything is read into the engine.</summary>
    public void CheckBatch(int count, string what)
    {
        if (count > Options.MaxBatchPoints)
        {
            throw QdrantException.BadRequest($"{count} {what} in one request; the server's limit is {Options.MaxBatchPoints}");
        }
    }
}
