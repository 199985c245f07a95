using System.Text;
using System.Text.Json.Nodes;
using VectLite.Tests.Engine;
using VectLite.Tests.Support;

namespace VectLite.Tests.Reliability;

/// <summary>
/// Defect 1 of the reliability audit: a payload nested deeper than replay could parse was logged, then every later open
/// failed. Now a batch is validated and encoded completely before it is appended, and replay accepts what any version wrote.
/// </summary>
public sealed class PayloadDepthTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WalPath => Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");

    /// <summary>An object nesting <paramref name="levels"/> objects: {"n":{"n":...{"leaf":1}}}.</summary>
    private static JsonObject Nested(int levels)
    {
        var inner = new JsonObject { ["leaf"] = 1 };
        for (int i = 1; i < levels; i++)
        {
            inner = new JsonObject { ["n"] = inner };
        }
        return inner;
    }

    [Theory]
    [InlineData(65)]
    [InlineData(1000)]
    public void A_payload_deeper_than_the_limit_is_rejected_before_it_reaches_the_log(int levels)
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
            c.Upsert(new Record(1, new float[] { 1, 0 }));
            long walBefore = new FileInfo(WalPath).Length;

            var ex = Assert.Throws<InvalidRecordException>(() => c.UpsertMany([
                new Record(2, new float[] { 0, 1 }),
                new Record(3, new float[] { 1, 1 }, Nested(levels)),
            ]));
            Assert.Contains("64 levels", ex.Message);
            Assert.Equal(walBefore, new FileInfo(WalPath).Length); // nothing appended
            Assert.Null(c.Get(2));                                 // nothing applied: not even the valid record

            c.Upsert(new Record(4, new float[] { 2, 2 }));
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(new ulong[] { 1, 4 }, c.Scroll(new ScrollOptions { Limit = 10 }).Records.Select(r => r.Id.AsNumber).ToArray());
        }
    }

    [Fact]
    public void A_payload_exactly_at_the_limit_is_stored_and_reads_back_the_same_after_reopen()
    {
        JsonObject payload = Nested(64);
        string expected = payload.ToJsonString();
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2)).Upsert(new Record(1, new float[] { 1, 0 }, payload));
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(expected, db.GetCollection("docs").Get(1)!.Payload!.ToJsonString());
            db.GetCollection("docs").Compact();
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(expected, db.GetCollection("docs").Get(1)!.Payload!.ToJsonString());
        }
    }

    [Fact]
    public void A_deep_merge_patch_is_rejected_and_leaves_the_record_and_the_log_unchanged()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
            c.Upsert(new Record(1, new float[] { 1, 0 }, new JsonObject { ["a"] = 1 }));
            long walBefore = new FileInfo(WalPath).Length;

            Assert.Throws<InvalidRecordException>(() => c.UpdatePayload(1, new JsonObject { ["deep"] = Nested(80) }));

            Assert.Equal(walBefore, new FileInfo(WalPath).Length);
            Assert.Equal("{\"a\":1}", c.Get(1)!.Payload!.ToJsonString());
            Assert.True(c.UpdatePayload(1, new JsonObject { ["b"] = 2 }));
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal("{\"a\":1,\"b\":2}", db.GetCollection("docs").Get(1)!.Payload!.ToJsonString());
        }
    }

    [Fact]
    public void A_log_written_before_the_limit_with_a_deeper_payload_still_opens()
    {
        // Versions before the limit accepted 1,000 levels and logged them; such a log must replay. The frame is built
        // by hand here (not through the engine's encoder) in the documented log format.
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2)).Upsert(new Record(1, new float[] { 1, 0 }));
        }
        string deep = Nested(200).ToJsonString();
        byte[] payload = Encoding.UTF8.GetBytes(deep);
        var body = new List<byte>();
        body.AddRange(BitConverter.GetBytes(1));        // one operation
        body.Add(1);                                    // upsert
        body.Add(0);                                    // numeric id
        body.AddRange(BitConverter.GetBytes(2UL));      // id 2
        body.AddRange(BitConverter.GetBytes((ushort)0)); // namespace "" (short string: u16 length)
        body.AddRange(BitConverter.GetBytes(0L));       // no expiry
        body.AddRange(BitConverter.GetBytes(payload.Length));
        body.AddRange(payload);
        body.AddRange(BitConverter.GetBytes((ushort)1)); // one vector
        body.AddRange(BitConverter.GetBytes(2));         // of 2 floats
        body.AddRange(BitConverter.GetBytes(0f));
        body.AddRange(BitConverter.GetBytes(1f));
        WalFrames.Append(WalPath, lsn: 2, [.. body]);

        using Database reopened = _temp.Open();
        Collection c = reopened.GetCollection("docs");
        Assert.Equal(deep, c.Get(2)!.Payload!.ToJsonString());
        Assert.Equal(2, c.Count());
    }
}
