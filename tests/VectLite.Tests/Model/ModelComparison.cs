using System.Text.Json.Nodes;

namespace VectLite.Tests.Model;

/// <summary>
/// Compares everything a reader can observe with the model: Get and GetMany of every id, counts with and without
/// filters and namespaces, full scrolls (paged, ordered, with and without payloads), exact searches against a
/// brute-force top-k, graph searches for validity, and the payload index definitions.
/// </summary>
internal static class ModelComparison
{
    public static readonly RecordId[] Ids = [0, 1, 2, 3, 4, 5, "a", "b"];

    public static readonly string[] KeyNamespaces = ["", "t"];

    private static readonly float[][] Queries = [[0, 0, 0, 0], [1, -2, 3, 0], [3, 3, -3, 1]];

    public static void Check(Collection c, CollectionModel model, int step, string where)
    {
        // One filter per step, rotating, keeps each step cheap while a sequence still covers all of them.
        int filter = step % ModelFilters.All.Count;
        CheckRecords(c, model, step, where);
        CheckCounts(c, model, filter, where);
        CheckScroll(c, model, filter, where);
        CheckSearch(c, model, filter, where);
        var indexes = c.GetStats().PayloadIndexes.ToHashSet();
        Assert.True(indexes.SetEquals(model.Indexes), $"{where}: payload indexes [{string.Join(", ", indexes)}], the model has [{string.Join(", ", model.Indexes)}]");
    }

    private static void CheckRecords(Collection c, CollectionModel model, int step, string where)
    {
        foreach (string ns in KeyNamespaces)
        {
            foreach (RecordId id in Ids)
            {
                model.Records.TryGetValue((ns, id), out ModelRecordSpec? expected);
                AssertSame(expected, c.Get(id, ns), includeVectors: true, includePayload: true, $"{where}: Get({id}, '{ns}')");
            }
            bool includeVectors = step % 2 == 0, includePayload = step % 3 != 0;
            var many = c.GetMany(Ids, ns, includeVectors, includePayload);
            var expectedMany = Ids.Where(id => model.Records.ContainsKey((ns, id))).ToList();
            Assert.True(expectedMany.Order().SequenceEqual(many.Select(r => r.Id).Order()),
                $"{where}: GetMany in '{ns}' returned [{string.Join(", ", many.Select(r => r.Id))}], the model has [{string.Join(", ", expectedMany)}]");
            foreach (Record record in many)
            {
                AssertSame(model.Records[(ns, record.Id)], record, includeVectors, includePayload, $"{where}: GetMany in '{ns}', {record.Id}");
            }
        }
    }

    private static void CheckCounts(Collection c, CollectionModel model, int filter, string where)
    {
        Filter f = ModelFilters.All[filter].Filter;
        string name = ModelFilters.All[filter].Name;
        Assert.True(model.Records.Count == c.CountAllNamespaces(), $"{where}: CountAllNamespaces() is {c.CountAllNamespaces()}, the model has {model.Records.Count}");
        Assert.True(model.MatchingInAllNamespaces(filter).Count() == c.CountAllNamespaces(f),
            $"{where}: CountAllNamespaces({name}) is {c.CountAllNamespaces(f)}, the model has {model.MatchingInAllNamespaces(filter).Count()}");
        // No namespace is the default namespace, as in every call.
        Assert.True(model.Matching(null, -1).Count() == c.Count(), $"{where}: Count() is {c.Count()}, the model has {model.Matching(null, -1).Count()} in the default namespace");
        Assert.True(model.Matching(null, filter).Count() == c.Count(f), $"{where}: Count({name}) is {c.Count(f)}, the model has {model.Matching(null, filter).Count()} in the default namespace");
        foreach (string ns in KeyNamespaces)
        {
            Assert.True(model.Matching(ns, -1).Count() == c.Count(null, ns), $"{where}: Count(null, '{ns}') is {c.Count(null, ns)}, the model has {model.Matching(ns, -1).Count()}");
            Assert.True(model.Matching(ns, filter).Count() == c.Count(f, ns), $"{where}: Count({name}, '{ns}') is {c.Count(f, ns)}, the model has {model.Matching(ns, filter).Count()}");
        }
        Assert.Equal(0, c.Count(null, "absent"));
    }

    private static void CheckScroll(Collection c, CollectionModel model, int filter, string where)
    {
        // Every record, three to a page so the cursor is exercised, in (namespace, id) order.
        var expected = model.Records.Values.OrderBy(r => CollectionModel.Normalize(r.Namespace), StringComparer.Ordinal).ThenBy(r => r.Id, ScrollIdOrder.Instance).ToList();
        var all = ScrollAll(c, new ScrollOptions { Limit = 3, IncludeVectors = true, AllNamespaces = true });
        Assert.True(expected.Count == all.Count, $"{where}: Scroll returned {all.Count} records, the model has {expected.Count}");
        for (int i = 0; i < all.Count; i++)
        {
            Assert.True(all[i].Id == expected[i].Id && all[i].Namespace == CollectionModel.Normalize(expected[i].Namespace),
                $"{where}: Scroll position {i} is ({all[i].Namespace}, {all[i].Id}), the model has ({expected[i].Namespace}, {expected[i].Id})");
            AssertSame(expected[i], all[i], includeVectors: true, includePayload: true, $"{where}: Scroll position {i}");
        }

        // One namespace (null is the default one), filtered, without payloads.
        foreach (string? ns in (string?[])[null, .. KeyNamespaces])
        {
            var page = ScrollAll(c, new ScrollOptions { Limit = 2, Namespace = ns, Filter = ModelFilters.All[filter].Filter, IncludePayload = false });
            var wanted = model.Matching(ns, filter).Select(r => r.Id).Order(ScrollIdOrder.Instance).ToList();
            Assert.True(wanted.SequenceEqual(page.Select(r => r.Id)), $"{where}: Scroll({ns ?? "null"}, {ModelFilters.All[filter].Name}) returned [{string.Join(", ", page.Select(r => r.Id))}], the model has [{string.Join(", ", wanted)}]");
            Assert.All(page, r => Assert.True(r.Payload is null && r.Vector is null && r.Namespace == CollectionModel.Normalize(ns), $"{where}: Scroll without payloads or vectors returned some, or a record of another namespace"));
        }
    }

    private static void CheckSearch(Collection c, CollectionModel model, int filter, string where)
    {
        foreach (float[] query in Queries)
        {
            // null is the default namespace; AllNamespaces (with no namespace) spans them all.
            foreach ((string? ns, bool everywhere) in ((string?, bool)[])[(null, false), ("t", false), (null, true)])
            {
                foreach (int f in (int[])[-1, filter])
                {
                    var eligible = (everywhere ? model.MatchingInAllNamespaces(f) : model.Matching(ns, f)).Select(r => (Record: r, Score: Score(query, r.Vector))).ToList();
                    string what = $"{where}: Search([{string.Join(", ", query)}], ns {(everywhere ? "(all)" : ns ?? "null")}, {(f < 0 ? "no filter" : ModelFilters.All[f].Name)}";
                    foreach (int k in (int[])[3, 20])
                    {
                        var options = new SearchOptions { TopK = k, Namespace = ns, AllNamespaces = everywhere, Filter = f < 0 ? null : ModelFilters.All[f].Filter, Exact = true };
                        var hits = c.Search(query, options);
                        // Ties make the ids of the last score ambiguous, so compare the score list exactly and check each hit on its own.
                        var wantedScores = eligible.Select(e => e.Score).OrderDescending().Take(k).ToList();
                        Assert.True(wantedScores.SequenceEqual(hits.Select(h => h.Score)),
                            $"{what}, exact, top {k}): scores [{string.Join(", ", hits.Select(h => h.Score))}], brute force [{string.Join(", ", wantedScores)}]");
                        AssertHitsValid(hits, eligible, what + $", exact, top {k})");
                    }
                    var graphHits = c.Search(query, new SearchOptions { TopK = 3, Namespace = ns, AllNamespaces = everywhere, Filter = f < 0 ? null : ModelFilters.All[f].Filter });
                    Assert.True(graphHits.Count <= Math.Min(3, eligible.Count), $"{what}, graph): {graphHits.Count} hits, only {eligible.Count} eligible");
                    Assert.True(graphHits.Select(h => h.Score).SequenceEqual(graphHits.Select(h => h.Score).OrderDescending()), $"{what}, graph): not best first");
                    AssertHitsValid(graphHits, eligible, what + ", graph)");
                }
            }
        }
    }

    /// <summary>Every hit is an eligible record, once, with its true score and payload.</summary>
    private static void AssertHitsValid(IReadOnlyList<SearchHit> hits, List<(ModelRecordSpec Record, float Score)> eligible, string what)
    {
        var seen = new HashSet<(string, RecordId)>();
        foreach (SearchHit hit in hits)
        {
            Assert.True(seen.Add((hit.Namespace, hit.Id)), $"{what}: ({hit.Namespace}, {hit.Id}) returned twice");
            var match = eligible.Where(e => e.Record.Id == hit.Id && CollectionModel.Normalize(e.Record.Namespace) == hit.Namespace).ToList();
            Assert.True(match.Count == 1, $"{what}: hit ({hit.Namespace}, {hit.Id}) is not a visible, matching record");
            Assert.True(match[0].Score == hit.Score, $"{what}: hit ({hit.Namespace}, {hit.Id}) scores {hit.Score}, brute force {match[0].Score}");
            Assert.True(JsonNode.DeepEquals(hit.Payload, Parse(match[0].Record.Payload)), $"{what}: hit ({hit.Namespace}, {hit.Id}) has payload {hit.Payload?.ToJsonString()}, the model {match[0].Record.Payload}");
        }
    }

    /// <summary>Minus the Euclidean distance, from integer squares (exact) and one square root, as Metric.L2 documents.</summary>
    private static float Score(float[] query, int[] vector)
    {
        int squares = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            int d = (int)query[i] - vector[i];
            squares += d * d;
        }
        return -MathF.Sqrt(squares);
    }

    private static List<Record> ScrollAll(Collection c, ScrollOptions options)
    {
        var all = new List<Record>();
        string? cursor = null;
        do
        {
            ScrollPage page = c.Scroll(new ScrollOptions
            {
                Limit = options.Limit,
                Cursor = cursor,
                Namespace = options.Namespace,
                AllNamespaces = options.AllNamespaces,
                Filter = options.Filter,
                IncludePayload = options.IncludePayload,
                IncludeVectors = options.IncludeVectors,
            });
            Assert.True(page.Records.Count <= options.Limit, "a scroll page is longer than its limit");
            all.AddRange(page.Records);
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    private static void AssertSame(ModelRecordSpec? expected, Record? actual, bool includeVectors, bool includePayload, string what)
    {
        if (expected is null)
        {
            Assert.True(actual is null, $"{what}: found a record the model does not have (payload {actual?.Payload?.ToJsonString()})");
            return;
        }
        Assert.True(actual is not null, $"{what}: missing");
        Assert.True(actual.Id == expected.Id && actual.Namespace == CollectionModel.Normalize(expected.Namespace), $"{what}: key ({actual.Namespace}, {actual.Id})");
        Assert.True(actual.ExpiresAt?.UtcTicks == expected.Expiry.ToTime()?.UtcTicks, $"{what}: expires {actual.ExpiresAt?.ToString("O") ?? "never"}, the model {expected.Expiry}");
        if (includePayload)
        {
            Assert.True(JsonNode.DeepEquals(actual.Payload, Parse(expected.Payload)), $"{what}: payload {actual.Payload?.ToJsonString() ?? "null"}, the model {expected.Payload ?? "null"}");
        }
        else
        {
            Assert.True(actual.Payload is null, $"{what}: a payload came back though none was asked for");
        }
        if (includeVectors)
        {
            Assert.True(actual.Vector is { } v && v.Span.SequenceEqual(expected.Vector.Select(x => (float)x).ToArray()), $"{what}: the vector is not the one written");
        }
        else
        {
            Assert.True(actual.Vector is null, $"{what}: a vector came back though none was asked for");
        }
    }

    private static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);

    /// <summary>RecordId's documented order, written out: numbers ascending, then strings by ordinal.</summary>
    private sealed class ScrollIdOrder : IComparer<RecordId>
    {
        public static readonly ScrollIdOrder Instance = new();

        public int Compare(RecordId x, RecordId y) => (x.IsString, y.IsString) switch
        {
            (false, false) => x.AsNumber.CompareTo(y.AsNumber),
            (false, true) => -1,
            (true, false) => 1,
            _ => string.CompareOrdinal(x.AsString, y.AsString),
        };
    }
}
