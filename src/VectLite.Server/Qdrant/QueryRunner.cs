using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>Runs a <see cref="QueryRequest"/> on a collection and writes its scored points.</summary>
internal static class QueryRunner
{
    /// <summary>Runs the query; the returned action writes the JSON array of scored points.</summary>
    public static Action<Utf8JsonWriter> Run(Collection collection, QueryRequest query)
    {
        CollectionSchema schema = collection.Schema;
        if (query.Spec is null)
        {
            return Unranked(collection, query, schema);
        }
        VectorSpec spec = query.Spec;
        float[] vector;
        bool excludeSelf = query.ById is not null;
        if (query.ById is { } id)
        {
            Record source = collection.Get(id) ?? throw QdrantException.PointNotFound(PointIds.Describe(id));
            vector = source.Vectors.TryGetValue(spec.Name, out ReadOnlyMemory<float> stored)
                ? stored.ToArray()
                : throw QdrantException.BadRequest($"point {PointIds.Describe(id)} has no vector `{spec.Name}`");
        }
        else
        {
            vector = query.Vector!;
        }
        // A query by id asks for one more hit so the excluded point can be dropped without leaving the page short.
        int wanted = query.Offset + query.Limit + (excludeSelf ? 1 : 0);
        IReadOnlyList<SearchHit> hits = collection.Search(vector, new SearchOptions
        {
            TopK = Math.Min(wanted, Collection.MaxSearchResults),
            VectorName = spec.Name,
            Filter = query.Filter,
            IncludePayload = query.Payload.Enabled,
            IncludeVectors = query.Vectors.Enabled,
            Ef = query.Ef is { } ef ? Math.Max(ef, Math.Min(wanted, Collection.MaxSearchResults)) : null,
            Exact = query.Exact,
            ScoreThreshold = query.ScoreThreshold is { } t ? Distances.FromQdrantThreshold(spec.Metric, t) : null,
        });
        List<SearchHit> page = hits.Where(h => !(excludeSelf && h.Id == query.ById!.Value)).Skip(query.Offset).Take(query.Limit).ToList();
        return w =>
        {
            w.WriteStartArray();
            foreach (SearchHit hit in page)
            {
                PointWriter.WriteScored(w, hit.Id, Distances.ToQdrant(spec.Metric, hit.Score), hit.Payload, hit.Vectors, schema, query.Payload, query.Vectors);
            }
            w.WriteEndArray();
        };
    }

    /// <summary>A query without <c>query</c>: the points matching the filter in id order, score 0, as Qdrant.</summary>
    private static Action<Utf8JsonWriter> Unranked(Collection collection, QueryRequest query, CollectionSchema schema)
    {
        ScrollPage page = collection.Scroll(new ScrollOptions
        {
            Limit = Math.Min(query.Offset + query.Limit, Collection.MaxSearchResults),
            Filter = query.Filter,
            IncludePayload = query.Payload.Enabled,
            IncludeVectors = query.Vectors.Enabled,
        });
        List<Record> records = page.Records.Skip(query.Offset).ToList();
        return w =>
        {
            w.WriteStartArray();
            foreach (Record record in records)
            {
                IReadOnlyDictionary<string, ReadOnlyMemory<float>>? vectors = query.Vectors.Enabled ? record.Vectors : null;
                PointWriter.WriteScored(w, record.Id, 0, record.Payload, vectors, schema, query.Payload, query.Vectors);
            }
            w.WriteEndArray();
        };
    }
}
