using System.Text.Json.Nodes;
using VectLite.Records;
using VectLite.Storage;

namespace VectLite.Tests.Records;

/// <summary>
/// The state's key lookups (<see cref="CollectionState.FindVisibleRow"/>, <see cref="CollectionState.FindLiveRow"/>)
/// against a dictionary model, over random upserts, payload updates and deletes in several namespaces, with numeric and
/// string ids; and every older snapshot still sees the versions it saw when it was published.
/// </summary>
public sealed class CollectionStateKeyTests
{
    private static readonly string[] NamespaceNames = ["", "a", "b", "tenant-c"];

    private static RecordId RandomId(Random random) => random.Next(2) == 0
        ? (ulong)random.Next(1500)
        : random.Next(1500).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static EncodedPayload Version(int version) => PayloadJson.Encode(new JsonObject { ["v"] = version }, "test");

    [Fact]
    public void Visible_and_live_rows_match_a_model_in_every_snapshot_over_upserts_updates_and_deletes()
    {
        var random = new Random(23);
        var state = new CollectionState(CollectionSchema.MetadataOnly(), [], 0);
        try
        {
            // The model: each key's current version (a number written into its payload), absent once deleted.
            var model = new Dictionary<(string Namespace, RecordId Id), int>();
            var everSeen = new HashSet<(string Namespace, RecordId Id)>();
            var saved = new List<(Snapshot Snapshot, Dictionary<(string, RecordId), int> Model)>();
            int version = 0;
            long lsn = 0;
            for (int step = 0; step < 12_000; step++)
            {
                var key = (NamespaceNames[random.Next(NamespaceNames.Length)], RandomId(random));
                everSeen.Add(key);
                bool live = model.ContainsKey(key);
                int choice = random.Next(10);
                lsn++;
                if (live && choice == 0)
                {
                    state.Apply(WalOperation.Delete(key.Item2, key.Item1), lsn);
                    model.Remove(key);
                }
                else if (live && choice <= 2)
                {
                    state.Apply(WalOperation.SetPayload(key.Item2, key.Item1, Version(++version)), lsn);
                    model[key] = version;
                }
                else
                {
                    state.Apply(WalOperation.Upsert(new StoredRecord(key.Item2, key.Item1, 0, Version(++version), [])), lsn);
                    model[key] = version;
                }
                state.Publish(lsn);
                if (step % 1500 == 0)
                {
                    saved.Add((state.Published, new Dictionary<(string, RecordId), int>(model)));
                }
            }
            saved.Add((state.Published, model));
            Assert.True(model.Count > 1000 && everSeen.Count > model.Count, "the walk should leave many live and some deleted keys");

            long now = DateTime.UtcNow.Ticks;
            foreach ((Snapshot snapshot, Dictionary<(string, RecordId), int> then) in saved)
            {
                foreach ((string ns, RecordId id) in everSeen)
                {
                    int namespaceId = state.Namespaces.Find(ns);
                    int row = namespaceId < 0 ? -1 : state.FindVisibleRow(new RecordKey(namespaceId, id), snapshot, now);
                    if (then.TryGetValue((ns, id), out int expected))
                    {
                        Assert.True(row >= 0, $"({ns}, {id}) should be visible at LSN {snapshot.Lsn}");
                        ref readonly RowMeta meta = ref state.Row(row);
                        Assert.Equal(id, meta.Id);
                        Assert.Equal(namespaceId, state.NamespaceOf(row));
                        Assert.Equal(expected, meta.Payload.GetProperty("v").GetInt32());
                    }
                    else
                    {
                        Assert.Equal(-1, row);
                    }
                }
            }
            foreach ((string ns, RecordId id) in everSeen)
            {
                int row = state.FindLiveRow(new RecordKey(state.Namespaces.Find(ns), id));
                Assert.Equal(model.ContainsKey((ns, id)), row >= 0);
            }
            Assert.Equal(-1, state.FindVisibleRow(new RecordKey(-1, 1UL), state.Published, now)); // a namespace never used
        }
        finally
        {
            state.Release();
        }
    }

    [Fact]
    public void A_payload_update_row_keeps_its_namespace_and_says_it_shares_the_previous_rows_vectors()
    {
        var state = new CollectionState(CollectionSchema.MetadataOnly(), [], 0);
        try
        {
            state.Apply(WalOperation.Upsert(new StoredRecord(1UL, "", 0, Version(1), [])), 1);
            state.Apply(WalOperation.Upsert(new StoredRecord(1UL, "tenant", 0, Version(2), [])), 2);
            state.Apply(WalOperation.SetPayload(1UL, "tenant", Version(3)), 3);
            state.Publish(3);
            int tenant = state.Namespaces.Find("tenant");
            Assert.Equal(1, tenant);
            int row = state.FindLiveRow(new RecordKey(tenant, 1UL));
            Assert.Equal(2, row);
            Assert.True(state.SharesVectorsWithPrevious(row));
            Assert.Equal(tenant, state.NamespaceOf(row));
            Assert.Equal(1, state.PreviousRow(row));
            Assert.False(state.SharesVectorsWithPrevious(1));
            Assert.Equal(tenant, state.NamespaceOf(1));
            Assert.Equal(0, state.NamespaceOf(0));
        }
        finally
        {
            state.Release();
        }
    }
}
