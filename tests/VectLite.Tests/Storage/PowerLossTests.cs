using System.Globalization;
using System.Text.Json.Nodes;
using VectLite.Tests.Engine;
using Xunit.Abstractions;

namespace VectLite.Tests.Storage;

/// <summary>
/// Power-loss simulation: a seeded random workload (upserts, deletes, payload updates, flushes, checkpoints) runs
/// through <see cref="PowerLossStorage"/>; at every storage operation (a crash point) one possible post-power-loss
/// image of the database is written aside, opened and compared with the acknowledged history. The image must open,
/// hold whole batches only (the state after some prefix of the batches, or with the call in flight), and lose no
/// more than the sync mode's loss window in docs/durability.md: nothing in PerOp, at most n - 1 batches in EveryN(n),
/// nothing before the last Flush or checkpoint in OnFlush.
/// </summary>
/// <remarks>
/// Images cycle through: every unsynced change lost, all of them kept (a process crash), and a random prefix per
/// file and directory with a torn last write. Long run (thousands of crash points per mode):
/// <c>VECTLITE_POWERLOSS_BATCHES=1500 VECTLITE_POWERLOSS_IMAGES=3 dotnet test tests/VectLite.Tests --filter PowerLossTests</c>
/// (see docs/durability.md).
/// </remarks>
public sealed class PowerLossTests(ITestOutputHelper output) : IDisposable
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

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;

    [Theory]
    [InlineData("PerOp")]
    [InlineData("EveryN(3)")]
    [InlineData("OnFlush")]
    public void Power_loss_at_any_operation_keeps_whole_batches_and_loses_no_more_than_the_sync_mode_allows(string modeText)
    {
        SyncMode mode = SyncMode.Parse(modeText);
        int batches = Setting("VECTLITE_POWERLOSS_BATCHES", 60);
        int imagesPerPoint = Setting("VECTLITE_POWERLOSS_IMAGES", 1);
        var work = new Random(20261130);
        var imageRandom = new Random(7);

        // The acknowledged history: timeline[k] is the database after k acknowledged changes; every image must be
        // one of timeline[floor..] or the state with the call in flight.
        var timeline = new List<string> { "" };
        int floor = 0;
        string? inFlight = null;
        int crashPoints = 0, images = 0;
        var failures = new List<string>();

        var device = new PowerLossStorage(_temp.Path);
        device.BeforeOperation = op =>
        {
            crashPoints++;
            for (int i = 0; i < imagesPerPoint && failures.Count < 5; i++)
            {
                int keep = (op + i) % 3; // lose all unsynced, keep all, random torn prefix
                string image = Path.Combine(_images, (images++).ToString(CultureInfo.InvariantCulture));
                device.WriteImage(image, keep, imageRandom);
                string actual;
                try
                {
                    using Database reopened = Database.Open(image);
                    actual = ExpectedDatabase.Read(reopened);
                }
                catch (Exception ex)
                {
                    failures.Add($"operation {op} (keep={keep}): the image does not open: {ex}");
                    continue;
                }
                var allowed = timeline.Skip(floor).ToList();
                if (inFlight is not null)
                {
                    allowed.Add(inFlight);
                }
                if (!allowed.Contains(actual))
                {
                    int index = timeline.IndexOf(actual);
                    failures.Add($"operation {op} (keep={keep}): the image holds " +
                        (index >= 0 ? $"state {index} of {timeline.Count - 1}, but state {floor} or later must survive" : $"a state that was never acknowledged:\n{actual}"));
                }
                Directory.Delete(image, recursive: true);
            }
        };

        var model = new ExpectedDatabase();
        int unsynced = 0;
        void Acknowledged(ExpectedDatabase next, bool synced)
        {
            model = next;
            timeline.Add(next.Render());
            inFlight = null;
            unsynced++;
            if (synced || unsynced >= mode.Interval && mode.Kind != SyncModeKind.OnFlush)
            {
                floor = timeline.Count - 1; // PerOp: every batch; EveryN(n): every n-th; by the mode's definition
                unsynced = 0;
            }
        }
        void Synced()
        {
            floor = timeline.Count - 1;
            unsynced = 0;
        }

        Database db = Database.Open(_temp.Path, new DatabaseOptions { SyncMode = mode, Storage = device });
        var created = new ExpectedDatabase();
        created.Create("c");
        inFlight = created.Render();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(3, Metric.L2));
        Acknowledged(created, synced: true); // creating a collection is always durable

        for (int b = 0; b < batches; b++)
        {
            if (b % 13 == 12)
            {
                c.Flush();
                Synced();
                continue;
            }
            if (b % 29 == 28)
            {
                c.Compact();
                Synced();
                continue;
            }
            ExpectedDatabase next = model.Clone();
            int kind = work.Next(10);
            var live = Enumerable.Range(0, 24).Select(i => (ulong)i).Where(id => model.Contains("c", id)).ToList();
            if (kind < 6 || live.Count == 0)
            {
                var records = new List<Record>();
                int count = work.Next(1, 5);
                for (int i = 0; i < count; i++)
                {
                    ulong id = (ulong)work.Next(24);
                    float[] vector = [b, id, i];
                    var payload = new JsonObject { ["batch"] = b, ["i"] = i };
                    records.Add(new Record(id, vector, payload));
                    next.Upsert("c", id, vector, payload);
                }
                inFlight = next.Render();
                c.UpsertMany(records);
            }
            else if (kind < 8)
            {
                ulong id = live[work.Next(live.Count)];
                next.Delete("c", id);
                inFlight = next.Render();
                Assert.True(c.Delete(id));
            }
            else
            {
                ulong id = live[work.Next(live.Count)];
                var patch = new JsonObject { ["patched"] = b };
                next.Patch("c", id, patch);
                inFlight = next.Render();
                Assert.True(c.UpdatePayload(id, new JsonObject { ["patched"] = b }));
            }
            Acknowledged(next, synced: false);
        }
        db.Dispose();
        Synced();

        output.WriteLine($"{mode}: {crashPoints} crash points, {images} images, {timeline.Count - 1} acknowledged changes");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
        Assert.True(crashPoints > batches, $"only {crashPoints} crash points: the workload no longer writes through the device");
    }
}
