using System.Text;
using System.Text.Json;

namespace VectLite.Fuzz;

/// <summary>
/// Filter JSON as an application would pass it. A filter that parses must survive its canonical round trip
/// (<see cref="Filter.ToJson"/> parses back to an equal filter with the same text), and counting with it on a
/// collection with payload indexes must agree with evaluating it on every record's payload: the indexes may only
/// change the cost of an answer, never the answer.
/// </summary>
internal sealed class FilterTarget : IFuzzTarget
{
    private readonly Lazy<Opened> _opened = new(Open);

    /// <inheritdoc/>
    public string Name => "filter";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        string text = Encoding.UTF8.GetString(input);
        Filter filter;
        try
        {
            filter = Filter.Parse(text);
        }
        catch (FilterParseException)
        {
            return;
        }

        string canonical = filter.ToJson();
        Filter reparsed;
        try
        {
            reparsed = Filter.Parse(canonical);
        }
        catch (FilterParseException ex)
        {
            throw new FuzzFindingException($"the canonical form {canonical} of an accepted filter does not parse", ex);
        }
        if (!reparsed.Equals(filter) || reparsed.GetHashCode() != filter.GetHashCode() || reparsed.ToJson() != canonical)
        {
            throw new FuzzFindingException($"the filter {text} does not survive its canonical round trip: {canonical} -> {reparsed.ToJson()}");
        }

        Opened opened = _opened.Value;
        Compare(opened.Meta, filter, opened.MetaPayloads);
        Compare(opened.Docs, filter, opened.DocsPayloads);
    }

    /// <summary>Counts with the engine (indexes and planner) and by evaluating the filter on each payload; they must agree.</summary>
    private static void Compare(Collection collection, Filter filter, (JsonElement Payload, string Namespace)[] payloads)
    {
        long expected = 0;
        long expectedInDefault = 0;
        long expectedInTenant = 0;
        foreach ((JsonElement payload, string ns) in payloads)
        {
            if (filter.Matches(payload))
            {
                expected++;
                expectedInDefault += ns.Length == 0 ? 1 : 0;
                expectedInTenant += ns == "tenant-a" ? 1 : 0;
            }
        }
        long counted = collection.CountAllNamespaces(filter);
        long countedInDefault = collection.Count(filter);
        long countedInTenant = collection.Count(filter, "tenant-a");
        if (counted != expected || countedInDefault != expectedInDefault || countedInTenant != expectedInTenant)
        {
            throw new FuzzFindingException(
                $"{collection.Name}: Count({filter.ToJson()}) is {counted} in all namespaces ({countedInDefault} in the default one, {countedInTenant} in tenant-a), " +
                $"evaluating every payload gives {expected} ({expectedInDefault}, {expectedInTenant})");
        }
    }

    /// <summary>Opens the workspace read-only once per process and takes every record's payload by a full scroll.</summary>
    private static Opened Open()
    {
        // Other targets run in the same process (the replay test) leave their input in the workspace: start from the
        // engine's files. Kept open for the life of the process (the collections live in memory from here on).
        FuzzWorkspace workspace = FuzzWorkspace.Shared;
        workspace.Restore(FuzzWorkspace.Docs);
        workspace.Restore(FuzzWorkspace.Meta);
        var db = Database.Open(workspace.DatabasePath, new DatabaseOptions { ReadOnly = true });
        Collection meta = db.GetCollection(FuzzWorkspace.Meta);
        Collection docs = db.GetCollection(FuzzWorkspace.Docs);
        return new Opened(meta, docs, Payloads(meta), Payloads(docs));
    }

    private static (JsonElement, string)[] Payloads(Collection collection) =>
        collection.Scroll(new ScrollOptions { Limit = 10_000, AllNamespaces = true }).Records
            .Select(r => (r.Payload is null ? default : JsonSerializer.SerializeToElement(r.Payload), r.Namespace ?? ""))
            .ToArray();

    /// <summary>The two collections, open read-only, with every record's payload and namespace.</summary>
    private sealed record Opened(Collection Meta, Collection Docs, (JsonElement Payload, string Namespace)[] MetaPayloads, (JsonElement Payload, string Namespace)[] DocsPayloads);
}
