using System.Globalization;
using System.Text.Json.Nodes;
using VectLite.Tests.Engine;
using VectLite.Tests.Storage;

namespace VectLite.Tests.Checkpointing;

/// <summary>
/// Power loss at every storage operation of a checkpoint during which batches are written (they end up in the tail
/// the log is cut back to: <c>WalWriter.DropPrefix</c>), including the tail's copy, its fsync and its rename. Every
/// image must open and hold every acknowledged batch (PerOp): the ones before the checkpoint, the ones written while it
/// wrote its files, and the ones after.
/// </summary>
public sealed class CheckpointPowerLossTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly string _images = Path.Combine(Path.GetTempPath(), "vectlite-tests", "images-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _temp.Dispose();
        if (Directory.Exists(_images))
        {
            Directory.Delete(_images, recursive: true);
        }
    }

    [Fact]
    public void Power_loss_anywhere_in_a_checkpoint_with_writes_during_it_loses_no_acknowledged_batch()
    {
        var timeline = new List<string> { "" };
        string? inFlight = null;
        int crashPoints = 0, images = 0;
        var failures = new List<string>();
        var imageRandom = new Random(11);

        var device = new PowerLossStorage(_temp.Path);
        device.BeforeOperation = op =>
        {
            crashPoints++;
            foreach (PowerLossKind keep in Enum.GetValues<PowerLossKind>())
            {
                if (failures.Count >= 5)
                {
                    break;
                }
                string image = Path.Combine(_images, (images++).ToString(CultureInfo.InvariantCulture));
                device.WriteImage(image, keep, imageRandom);
                try
                {
                    using Database reopened = Database.Open(image, new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled });
                    string actual = ExpectedDatabase.Read(reopened);
                    // PerOp: the last acknowledged state, or the one with the call in flight.
                    if (actual != timeline[^1] && actual != inFlight)
                    {
                        int index = timeline.IndexOf(actual);
                        failures.Add($"operation {op} (keep={keep}): the image holds " + (index >= 0
                            ? $"state {index} of {timeline.Count - 1}: acknowledged batches are missing"
                            : $"a state never acknowledged:\n{actual}"));
                    }
                }
                catch (Exception ex)
                {
                    failures.Add($"operation {op} (keep={keep}): the image does not open: {ex}");
                }
                Directory.Delete(image, recursive: true);
            }
        };

        var model = new ExpectedDatabase();
        Database db = Database.Open(_temp.Path, new DatabaseOptions { SyncMode = SyncMode.PerOp, Storage = device, AutoCheckpoint = AutoCheckpointOptions.Disabled });
        var created = model.Clone();
        created.Create("c");
        inFlight = created.Render();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(3, Metric.L2));
        model = created;
        timeline.Add(model.Render());

        void Upsert(ulong id, int round)
        {
            float[] vector = [round, id, 1];
            var payload = new JsonObject { ["round"] = round };
            ExpectedDatabase next = model.Clone();
            next.Upsert("c", id, vector, payload);
            inFlight = next.Render();
            c.Upsert(new Record(id, vector, new JsonObject { ["round"] = round }));
            model = next;
            timeline.Add(model.Render());
            inFlight = null;
        }

        for (ulong id = 0; id < 12; id++)
        {
            Upsert(id, 0);
        }
        ExpectedDatabase beforeDelete = model.Clone();
        beforeDelete.Delete("c", 3);
        inFlight = beforeDelete.Render();
        Assert.True(c.Delete(3)); // a dead row: the checkpoint compacts in memory too
        model = beforeDelete;
        timeline.Add(model.Render());
        inFlight = null;

        c.CheckpointWritingForTests = () =>
        {
            c.CheckpointWritingForTests = null;
            for (ulong id = 8; id < 16; id++)
            {
                Upsert(id, 1); // replacements and new records, logged after the checkpoint's image
            }
        };
        inFlight = null;
        c.Compact();
        Assert.Equal(8, c.GetStats().WalBatchesSinceCheckpoint); // the log was cut back to exactly those batches

        for (ulong id = 0; id < 4; id++)
        {
            Upsert(id, 2);
        }
        db.Dispose();

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(crashPoints > 40, $"only {crashPoints} crash points");
    }
}
