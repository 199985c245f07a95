using System.Text.Json.Nodes;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// The writes that act on a <see cref="PointsSelector"/>: delete, and the four payload updates. Shared by the REST
/// endpoints and the gRPC services, so both protocols write the same way under the collection's write gate.
/// </summary>
internal static class PointUpdates
{
    /// <summary>Deletes the selected points (listed ids that do not exist are skipped, as in Qdrant); returns the operation id.</summary>
    public static Task<long> Delete(ServerState state, string name, Collection collection, PointsSelector selector, CancellationToken cancellationToken) =>
        state.Write(name, () =>
        {
            if (selector.Ids is not null)
            {
                collection.DeleteMany(selector.Ids);
            }
            else if (selector.Filter is not null)
            {
                collection.DeleteByFilter(selector.Filter);
            }
            else
            {
                collection.DeleteMany(selector.Resolve(collection).ToList()); // an empty filter: every point
            }
        }, cancellationToken);

    /// <summary>
    /// Checks that every listed point exists (404 for the first that does not, before anything is written, as Qdrant),
    /// then gives each selected point the payload <paramref name="compute"/> returns for its current one. The caller
    /// has already validated the request (by calling <paramref name="compute"/> on null), so a bad request writes nothing.
    /// </summary>
    public static Task<long> EditPayload(ServerState state, string name, Collection collection, PointsSelector selector,
        Func<JsonObject?, JsonObject> compute, CancellationToken cancellationToken) =>
        state.Write(name, () =>
        {
            var targets = new List<Record>();
            foreach (RecordId id in selector.Resolve(collection))
            {
                Record? record = collection.Get(id);
                if (record is null)
                {
                    if (selector.Ids is not null)
                    {
                        throw QdrantException.PointNotFound(PointIds.Describe(id));
                    }
                    continue; // deleted since the filter matched it
                }
                targets.Add(record);
            }
            foreach (Record record in targets)
            {
                PayloadEdit.Apply(collection, record, compute(record.Payload));
            }
        }, cancellationToken);
}
