using System.Text.Json.Nodes;
using VectLite.Filtering;
using VectLite.Records;
using VectLite.Storage;

namespace VectLite.Tests.Records;

/// <summary>
/// The row test every read applies (<see cref="VisibleRowFilter"/>), on a state built operation by operation: which rows
/// each snapshot sees (deleted, replaced, expired, too new, re-pointed by a payload update), the namespace and payload
/// conditions, a row set that answers the filter or the namespace, the indexed limit, column verdicts and cached
/// verdicts. Every expectation is worked out by hand from the operations below.
/// </summary>
public sealed class VisibleRowFilterTests : IDisposable
{
    /// <summary>When row 3 expires; the reads run one tick before it, or at it.</summary>
    private static readonly long Expiry = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private static readonly long BeforeExpiry = Expiry - 1;

    private readonly CollectionState _state = new(CollectionSchema.MetadataOnly(), [], 0);

    /// <summary>After batch 1: rows 0-3, nothing deleted.</summary>
    private readonly Snapshot _first;

    /// <summary>After batch 2: rows 0-6; rows 0 (deleted) and 2 (replaced) gone at LSN 2.</summary>
    private readonly Snapshot _second;

    /// <summary>The id of namespace "a".</summary>
    private readonly int _a;

    /// <summary>
    /// Batch 1: row 0 = id 1 red, row 1 = id 2 red in "a", row 2 = id 3 blue, row 3 = id 4 red expiring at
    /// <see cref="Expiry"/>. Batch 2: id 1 deleted (row 0); id 3's payload set to red (row 4, sharing row 2's vectors,
    /// row 2 replaced); row 5 = id 5 red; row 6 = id 6 blue. All but row 1 in the default namespace.
    /// </summary>
    public VisibleRowFilterTests()
    {
        _state.Apply(WalOperation.Upsert(Record(1, "", "red", 0)), 1);
        _state.Apply(WalOperation.Upsert(Record(2, "a", "red", 0)), 1);
        _state.Apply(WalOperation.Upsert(Record(3, "", "blue", 0)), 1);
        _state.Apply(WalOperation.Upsert(Record(4, "", "red", Expiry)), 1);
        _state.Publish(1);
        _first = _state.Published;
        _state.Apply(WalOperation.Delete(1UL, ""), 2);
        _state.Apply(WalOperation.SetPayload(3UL, "", Colour("red")), 2);
        _state.Apply(WalOperation.Upsert(Record(5, "", "red", 0)), 2);
        _state.Apply(WalOperation.Upsert(Record(6, "", "blue", 0)), 2);
        _state.Publish(2);
        _second = _state.Published;
        _a = _state.Namespaces.Find("a");
    }

    public void Dispose() => _state.Release();

    private static EncodedPayload Colour(string colour) => PayloadJson.Encode(new JsonObject { ["c"] = colour }, "test");

    private static StoredRecord Record(ulong id, string ns, string colour, long expiresAtTicks) =>
        new(id, ns, expiresAtTicks, Colour(colour), []);

    /// <summary>Rows -1 to 7 that <paramref name="filter"/> accepts.</summary>
    private static int[] Accepted(VisibleRowFilter filter) =>
        [.. Enumerable.Range(-1, 9).Where(row => filter.Accept(row))];

    [Fact]
    public void The_state_is_built_as_the_tests_assume()
    {
        Assert.Equal((1L, 4, true, false), (_first.Lsn, _first.RowCount, _first.AnyExpiring, _first.AnyDeleted));
        Assert.Equal((2L, 7, true, true), (_second.Lsn, _second.RowCount, _second.AnyExpiring, _second.AnyDeleted));
        Assert.Equal(1, _a);
        Assert.Equal((2, true), (_state.PreviousRow(4), _state.SharesVectorsWithPrevious(4)));
    }

    [Fact]
    public void Each_snapshot_accepts_the_rows_it_sees_and_a_repointed_row_as_the_version_it_sees()
    {
        // Batch 1's snapshot: rows 0-3; row 4 (id 3's payload update) stands for row 2 there; rows 5 and 6 are too new.
        Assert.Equal([0, 1, 2, 3, 4], Accepted(new VisibleRowFilter(_state, _first, BeforeExpiry, -1, null)));
        // Batch 2's: rows 0 (deleted) and 2 (replaced) are gone.
        Assert.Equal([1, 3, 4, 5, 6], Accepted(new VisibleRowFilter(_state, _second, BeforeExpiry, -1, null)));
    }

    [Fact]
    public void A_row_is_gone_at_its_expiry_time()
    {
        Assert.Equal([0, 1, 2, 4], Accepted(new VisibleRowFilter(_state, _first, Expiry, -1, null)));
        Assert.Equal([1, 4, 5, 6], Accepted(new VisibleRowFilter(_state, _second, Expiry, -1, null)));
    }

    [Fact]
    public void A_repointed_row_is_tested_with_the_payload_of_the_version_the_snapshot_sees()
    {
        // In batch 1's snapshot id 3 is blue (row 2): row 4, red, stands for it there.
        Assert.Equal([0, 1, 3], Accepted(new VisibleRowFilter(_state, _first, BeforeExpiry, -1, Filter.Eq("c", "red"))));
        Assert.Equal([2, 4], Accepted(new VisibleRowFilter(_state, _first, BeforeExpiry, -1, Filter.Eq("c", "blue"))));
        Assert.Equal([1, 3, 4, 5], Accepted(new VisibleRowFilter(_state, _second, BeforeExpiry, -1, Filter.Eq("c", "red"))));
    }

    [Fact]
    public void A_row_repointed_from_row_0_stands_for_row_0()
    {
        // Row 0 = id 1 red (batch 1); batch 2 sets its payload to blue: row 1, sharing row 0's vectors and graph node.
        var state = new CollectionState(CollectionSchema.MetadataOnly(), [], 0);
        try
        {
            state.Apply(WalOperation.Upsert(Record(1, "", "red", 0)), 1);
            state.Publish(1);
            Snapshot first = state.Published;
            state.Apply(WalOperation.SetPayload(1UL, "", Colour("blue")), 2);
            state.Publish(2);
            Assert.Equal((0, true), (state.PreviousRow(1), state.SharesVectorsWithPrevious(1)));

            // Batch 1's snapshot meets the node at row 1: it is id 1 as that snapshot sees it, red.
            Assert.Equal([0, 1], Accepted(new VisibleRowFilter(state, first, BeforeExpiry, -1, null)));
            Assert.Equal([0, 1], Accepted(new VisibleRowFilter(state, first, BeforeExpiry, -1, Filter.Eq("c", "red"))));
            Assert.Equal([], Accepted(new VisibleRowFilter(state, first, BeforeExpiry, -1, Filter.Eq("c", "blue"))));
            Assert.Equal([1], Accepted(new VisibleRowFilter(state, state.Published, BeforeExpiry, -1, Filter.Eq("c", "blue"))));
        }
        finally
        {
            state.Release();
        }
    }

    [Fact]
    public void A_namespace_keeps_to_its_rows()
    {
        Assert.Equal([1], Accepted(new VisibleRowFilter(_state, _second, BeforeExpiry, _a, null)));
        Assert.Equal([3, 4, 5, 6], Accepted(new VisibleRowFilter(_state, _second, BeforeExpiry, 0, null)));
        Assert.Equal([3, 4, 5], Accepted(new VisibleRowFilter(_state, _second, BeforeExpiry, 0, Filter.Eq("c", "red"))));

        var skipped = new VisibleRowFilter(_state, _second, BeforeExpiry, _a, null);
        skipped.SkipNamespaceCheck();
        Assert.Equal([1, 3, 4, 5, 6], Accepted(skipped));
    }

    [Fact]
    public void Conditions_and_accepts_all_say_what_the_filter_tests()
    {
        var none = new Snapshot(lsn: 1, rowCount: 3, anyExpiring: false, anyDeleted: false);
        Assert.True(new VisibleRowFilter(_state, none, 0, -1, null).AcceptsAll);
        Assert.False(new VisibleRowFilter(_state, none, 0, -1, null).HasConditions);
        Assert.False(new VisibleRowFilter(_state, none, 0, -1, null).EvaluatesPayloads);

        // Namespace 0 (the default) is a condition too.
        Assert.False(new VisibleRowFilter(_state, none, 0, 0, null).AcceptsAll);
        Assert.True(new VisibleRowFilter(_state, none, 0, 0, null).HasConditions);
        Assert.False(new VisibleRowFilter(_state, none, 0, -1, Filter.Eq("c", "red")).AcceptsAll);
        Assert.True(new VisibleRowFilter(_state, none, 0, -1, Filter.Eq("c", "red")).HasConditions);
        Assert.True(new VisibleRowFilter(_state, none, 0, -1, Filter.Eq("c", "red")).EvaluatesPayloads);

        // A snapshot with deletions or expiries needs the per-row test.
        Assert.False(new VisibleRowFilter(_state, new Snapshot(1, 3, anyExpiring: false, anyDeleted: true), 0, -1, null).AcceptsAll);
        Assert.False(new VisibleRowFilter(_state, new Snapshot(1, 3, anyExpiring: true, anyDeleted: false), 0, -1, null).AcceptsAll);
    }

    [Fact]
    public void A_row_set_rejects_the_rows_outside_it_and_replaces_the_conditions_it_answers()
    {
        // Neither answered: the set, the namespace and the payload all apply.
        var filter = new VisibleRowFilter(_state, _second, BeforeExpiry, 0, Filter.Eq("c", "red"));
        RowBitset set = Set(1, 2, 3, 6);
        filter.UseRowSet(set, answersFilter: false, coversNamespace: false);
        Assert.Same(set, filter.RowSet);
        Assert.True(filter.EvaluatesPayloads);
        Assert.Equal([3], Accepted(filter)); // 1: namespace "a"; 2: replaced; 6: blue; 4, 5: outside the set
        filter.Release();
        Assert.Null(filter.RowSet);

        // The set answers the payload filter: a blue filter, yet the red rows of the set pass (no payload is read).
        filter = new VisibleRowFilter(_state, _second, BeforeExpiry, 0, Filter.Eq("c", "blue"));
        filter.UseRowSet(Set(1, 3, 4), answersFilter: true, coversNamespace: false);
        Assert.False(filter.EvaluatesPayloads);
        Assert.Equal([3, 4], Accepted(filter)); // 1: namespace "a"
        filter.Release();

        // The set covers the namespace: rows of the default namespace in a set for "a" pass.
        filter = new VisibleRowFilter(_state, _second, BeforeExpiry, _a, Filter.Eq("c", "red"));
        filter.UseRowSet(Set(3, 4, 6), answersFilter: false, coversNamespace: true);
        Assert.True(filter.EvaluatesPayloads);
        Assert.Equal([3, 4], Accepted(filter)); // 6: blue; 1: outside the set
        filter.Release();
    }

    [Fact]
    public void The_indexed_limit_rejects_the_rows_at_or_above_it_until_lifted()
    {
        var filter = new VisibleRowFilter(_state, _second, BeforeExpiry, -1, null);
        filter.LimitToIndexed(4);
        Assert.Equal([1, 3], Accepted(filter));
        filter.LimitToIndexed(int.MaxValue);
        Assert.Equal([1, 3, 4, 5, 6], Accepted(filter));
    }

    [Fact]
    public void Column_verdicts_decide_and_only_an_unknown_one_reads_the_payload()
    {
        // Row 6 is blue but its column says yes; row 1 is red but says no; rows 3, 4 and 5 (red) are unknown.
        var filter = new VisibleRowFilter(_state, _second, BeforeExpiry, -1, Filter.Eq("c", "red"));
        filter.UseColumns(new FixedVerdicts(new() { [6] = ColumnVerdict.Yes, [1] = ColumnVerdict.No }));
        Assert.Equal([3, 4, 5, 6], Accepted(filter));
    }

    [Fact]
    public void Cached_verdicts_give_the_same_answer_the_second_time()
    {
        var filter = new VisibleRowFilter(_state, _second, BeforeExpiry, -1, Filter.Eq("c", "red"));
        filter.CacheVerdicts();
        Assert.Equal([1, 3, 4, 5], Accepted(filter));
        Assert.Equal([1, 3, 4, 5], Accepted(filter));
        filter.CacheVerdicts(); // again: the verdicts already cached stay
        Assert.Equal([1, 3, 4, 5], Accepted(filter));
        filter.Release();
    }

    private RowBitset Set(params int[] rows)
    {
        RowBitset set = RowBitset.Rent(_second.RowCount);
        foreach (int row in rows)
        {
            set.Add(row);
        }
        return set;
    }

    /// <summary>Column verdicts given per row; Unknown for the rest.</summary>
    private sealed class FixedVerdicts(Dictionary<int, ColumnVerdict> verdicts) : ColumnFilter
    {
        public override ColumnVerdict Test(int row) => verdicts.GetValueOrDefault(row, ColumnVerdict.Unknown);
    }
}
