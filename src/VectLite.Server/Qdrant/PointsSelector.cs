using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Qdrant's points selector: <c>{"points": [ids]}</c> or <c>{"filter": {...}}</c>, in delete and payload requests.
/// </summary>
internal sealed record PointsSelector(IReadOnlyList<RecordId>? Ids, Filter? Filter)
{
    /// <summary>Reads the selector; one of the two is required.</summary>
    public static PointsSelector Read(JsonElement request, ServerState state)
    {
        if (JsonFields.Get(request, "points") is { } points)
        {
            List<RecordId> ids = PointIds.ParseMany(points, "points");
            state.CheckBatch(ids.Count, "point ids");
            return new PointsSelector(ids, null);
        }
        if (JsonFields.Get(request, "filter") is { } filter)
        {
            // An empty filter selects every point, as in Qdrant.
            return new PointsSelector(null, FilterTranslator.Translate(filter));
        }
        throw QdrantException.BadRequest("select points with `points` (a list of ids) or `filter`");
    }

    /// <summary>The ids selected: the listed ones, or every id matching the filter (paged through scroll).</summary>
    public IEnumerable<RecordId> Resolve(Collection collection)
    {
        if (Ids is not null)
        {
            foreach (RecordId id in Ids)
            {
                yield return id;
            }
            yield break;
        }
        string? cursor = null;
        do
        {
            ScrollPage page = collection.Scroll(new ScrollOptions { Filter = Filter, Limit = 1000, IncludePayload = false, Cursor = cursor });
            foreach (Record record in page.Records)
            {
                yield return record.Id;
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }
}
