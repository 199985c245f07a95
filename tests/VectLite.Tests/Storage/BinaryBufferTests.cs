using VectLite.Storage;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Storage;

/// <summary>
/// The encoding buffer's growth (by writes, and in one step by <see cref="BinaryBuffer.EnsureCapacity"/>), its release of
/// an outsized array, and the size hint the log's batches are sized by (<see cref="WalBatchCodec.SizeHint"/>).
/// </summary>
public sealed class BinaryBufferTests
{
    [Fact]
    public void Growing_by_writes_or_in_one_step_keeps_every_byte_written()
    {
        var buffer = new BinaryBuffer(initialCapacity: 2);
        for (int i = 0; i < 1000; i++)
        {
            buffer.WriteInt32(i); // grows many times
        }
        buffer.EnsureCapacity(1 << 20);
        Assert.True(buffer.Capacity >= 1 << 20);
        buffer.WriteByte(7);
        byte[] written = buffer.WrittenSpan.ToArray();
        Assert.Equal(4001, written.Length);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32(written, 4 * i));
        }
        Assert.Equal(7, written[4000]);
    }

    [Fact]
    public void Release_empties_the_buffer_and_gives_up_an_array_larger_than_it_keeps()
    {
        var buffer = new BinaryBuffer(initialCapacity: 64);
        buffer.WriteBytes(new byte[10]);
        buffer.Release(keep: 64);
        Assert.Equal(0, buffer.Length);
        Assert.Equal(64, buffer.Capacity); // not outsized: the same array

        buffer.EnsureCapacity(3 << 20);
        buffer.WriteBytes(Enumerable.Repeat((byte)9, 3 << 20).ToArray());
        buffer.Release(keep: 64);
        Assert.Equal(0, buffer.Length);
        Assert.Equal(64, buffer.Capacity);

        buffer.WriteInt64(-5); // usable again, and grows again
        buffer.EnsureCapacity(1 << 21);
        Assert.Equal(-5L, BitConverter.ToInt64(buffer.WrittenSpan));
    }

    [Fact]
    public void A_collection_gives_back_the_buffer_of_a_large_batch_after_writing_it()
    {
        using var temp = new TempDatabase();
        using Database db = temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(784, Metric.L2).WithHnsw(HnswOptions.Disabled));
        var random = new Random(3);
        docs.UpsertMany([.. Enumerable.Range(0, 200).Select(i => new Record((ulong)i, TestData.RandomVector(random, 784)))]); // 630 KB logged
        Assert.Equal(64 * 1024, docs.Engine.BatchBufferCapacityForTests);
        Assert.Equal(200L, docs.Count());
    }

    [Fact]
    public void The_size_hint_covers_what_the_encoder_writes()
    {
        EncodedPayload payload = PayloadJson.Encode(new System.Text.Json.Nodes.JsonObject { ["tag"] = "ñandú", ["n"] = 12345 }, "test");
        WalOperation[] operations =
        [
            WalOperation.Upsert(new StoredRecord(new RecordId(1), "", 0, (EncodedPayload?)null, [new float[784]])),
            WalOperation.Upsert(new StoredRecord(new RecordId("κλειδί-ключ"), "τενάντ", 99, payload, [new float[3], new float[5]],
                sparse: [new SparseVector([3u, 9u, 12u], [0.5f, 4f, 1f]), null],
                multi: [[new float[4], new float[4], new float[4]]])),
            WalOperation.Delete(new RecordId("ключ"), "τενάντ"),
            WalOperation.SetPayload(new RecordId(8), "n", payload),
            WalOperation.SetExpiry(new RecordId(9), "ns", 5),
            WalOperation.CreatePayloadIndex("a.b", PayloadIndexKind.Numeric),
        ];
        var buffer = new BinaryBuffer(initialCapacity: 1);
        WalBatchCodec.Encode(operations, buffer);
        Assert.True(WalBatchCodec.SizeHint(operations) >= buffer.Length, $"hint {WalBatchCodec.SizeHint(operations)} < {buffer.Length} encoded");

        // A bulk batch: about its vectors' bytes, so one allocation holds it.
        WalOperation[] bulk = [.. Enumerable.Range(0, 200).Select(i => WalOperation.Upsert(new StoredRecord(new RecordId((ulong)i), "", 0, (EncodedPayload?)null, [new float[784]])))];
        buffer.Clear();
        WalBatchCodec.Encode(bulk, buffer);
        long hint = WalBatchCodec.SizeHint(bulk);
        Assert.InRange(hint, buffer.Length, buffer.Length + (200 * 64) + 4);
    }
}
