using VectLite.Tests.Engine;

namespace VectLite.Tests.Checkpointing;

/// <summary>
/// A checkpoint that finds batches written while it wrote its files replaces the log with a shorter one (the tail),
/// where an idle one empties it in place. Read-only opens and <see cref="Database.Verify(string, CancellationToken)"/>
/// racing that replacement must always succeed and see whole states.
/// </summary>
public sealed class CheckpointTailRaceTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Read_only_opens_and_verify_succeed_while_every_checkpoint_keeps_a_tail()
    {
        using Database writer = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush, AutoCheckpoint = AutoCheckpointOptions.Disabled });
        Collection docs = writer.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2).WithHnsw(HnswOptions.Disabled));
        docs.UpsertMany(TestData.Records(500, 8));

        int checkpoints = 0, tails = 0;
        docs.CheckpointWritingForTests = () => docs.UpsertMany(TestData.Records(500, 8, seed: checkpoints + 1000)); // same ids
        using var stop = new CancellationTokenSource();
        Task churn = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                docs.UpsertMany(TestData.Records(500, 8, seed: i));
                docs.Compact();
                if (docs.GetStats().WalBatchesSinceCheckpoint > 0)
                {
                    Interlocked.Increment(ref tails);
                }
                Interlocked.Increment(ref checkpoints);
            }
        });

        try
        {
            int opens = 0, overlapped = 0;
            while (opens < 20 || overlapped < 10)
            {
                Assert.True(opens < 5_000, $"only {overlapped} of {opens} opens overlapped a checkpoint");
                int before = Volatile.Read(ref checkpoints);
                using (Database reader = _temp.Open(new DatabaseOptions { ReadOnly = true, Unshared = true })) // a private engine: a reader in another process
                {
                    Collection c = reader.GetCollection("docs");
                    Assert.Equal(500, c.Count());
                    Assert.Equal(500, c.Scroll(new ScrollOptions { Limit = 1000 }).Records.Count);
                }
                VerifyReport report = Database.Verify(_temp.Path);
                Assert.True(report.IsIntact, report.ToString());
                opens++;
                if (Volatile.Read(ref checkpoints) > before)
                {
                    overlapped++;
                }
            }
        }
        finally
        {
            stop.Cancel();
            await churn;
            docs.CheckpointWritingForTests = null;
        }
        Assert.Equal(Volatile.Read(ref checkpoints), Volatile.Read(ref tails)); // every checkpoint kept a tail
    }
}
