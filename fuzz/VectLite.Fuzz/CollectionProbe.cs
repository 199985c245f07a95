namespace VectLite.Fuzz;

/// <summary>
/// Opens a collection of the workspace and uses it the way an application would (count, scroll, get, search with
/// and without a filter, exact and through the graph), so that what a damaged file put into memory is also read.
/// </summary>
internal static class CollectionProbe
{
    private static readonly Filter TagFilter = Filter.Parse("""{"tag": "red", "n": {"$gte": 2}}""");

    /// <summary>Opens <paramref name="collection"/> read-only and reads everything once.</summary>
    /// <exception cref="CorruptFileException">The engine refused a damaged file (the documented outcome).</exception>
    public static void OpenAndRead(FuzzWorkspace workspace, string collection)
    {
        using var db = Database.Open(workspace.DatabasePath, new DatabaseOptions { ReadOnly = true });
        Read(db.GetCollection(collection));
    }

    /// <summary>Reads every record and, when the collection has vectors, searches it.</summary>
    public static void Read(Collection collection)
    {
        long count = collection.CountAllNamespaces();
        ScrollPage page = collection.Scroll(new ScrollOptions { Limit = 10_000, IncludeVectors = true, AllNamespaces = true });
        if (page.Records.Count != count)
        {
            throw new FuzzFindingException($"CountAllNamespaces() says {count} records but a full scroll of all namespaces returned {page.Records.Count}");
        }
        long inDefault = collection.Count();
        if (inDefault != page.Records.Count(r => r.Namespace is null or ""))
        {
            throw new FuzzFindingException($"Count() says {inDefault} records in the default namespace but a full scroll found {page.Records.Count(r => r.Namespace is null or "")}");
        }
        collection.Count(TagFilter);
        collection.Get(1);
        collection.Get("s-41");
        if (collection.Schema.Vectors.Count == 0)
        {
            return;
        }

        int dimension = collection.Schema.Vectors[0].Dimension;
        var query = new float[dimension];
        for (int i = 0; i < dimension; i++)
        {
            query[i] = (i * 0.3f) - 0.5f;
        }
        collection.Search(query, new SearchOptions { TopK = 5 });
        collection.Search(query, new SearchOptions { TopK = 50, Exact = true });
        collection.Search(query, new SearchOptions { TopK = 5, Filter = TagFilter, Namespace = "tenant-a" });
        collection.Search(query, new SearchOptions { TopK = 5, AllNamespaces = true });
        collection.GetStats();
    }
}
