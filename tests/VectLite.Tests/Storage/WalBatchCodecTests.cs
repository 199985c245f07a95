using System.Text;
using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// The body of a log frame, byte for byte as docs/file-format.md lays it out (u32 operation count, then per operation a
/// type byte and its fields, little-endian), and every check the decoder makes on bytes that passed their frame's
/// checksum but that the writer cannot have written. The expected bytes are literals written from the format
/// document, not produced by the encoder under test.
/// </summary>
public sealed class WalBatchCodecTests
{
    private static byte[] Encode(params WalOperation[] operations)
    {
        var buffer = new BinaryBuffer(initialCapacity: 1); // grows on every write: the buffer's growth is exercised too
        WalBatchCodec.Encode(operations, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Bytes(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (object part in parts)
        {
            switch (part)
            {
                case byte b: bytes.Add(b); break;
                case int i: bytes.AddRange(BitConverter.GetBytes(i)); break;
                case uint u: bytes.AddRange(BitConverter.GetBytes(u)); break;
                case long l: bytes.AddRange(BitConverter.GetBytes(l)); break;
                case ulong ul: bytes.AddRange(BitConverter.GetBytes(ul)); break;
                case ushort us: bytes.AddRange(BitConverter.GetBytes(us)); break;
                case float f: bytes.AddRange(BitConverter.GetBytes(f)); break;
                case string s: bytes.AddRange(BitConverter.GetBytes((ushort)Encoding.UTF8.GetByteCount(s))); bytes.AddRange(Encoding.UTF8.GetBytes(s)); break;
                case byte[] raw: bytes.AddRange(raw); break;
                default: throw new ArgumentException(part.GetType().Name);
            }
        }
        return [.. bytes];
    }

    private const byte NumericId = 0;
    private const byte StringId = 1;

    private static EncodedPayload Payload(string json) => PayloadJson.Encode((System.Text.Json.Nodes.JsonObject)System.Text.Json.Nodes.JsonNode.Parse(json)!, "test");

    [Fact]
    public void Key_payload_expiry_and_index_operations_encode_as_documented_and_decode_back()
    {
        byte[] batch = Encode(
            WalOperation.Delete(new RecordId(7), "a"),
            WalOperation.SetPayload(new RecordId("k"), "", Payload("{\"x\":1}")),
            WalOperation.SetPayload(new RecordId(8), "", null),
            WalOperation.SetExpiry(new RecordId(9), "ns", 5),
            WalOperation.CreatePayloadIndex("a.b", PayloadIndexKind.Numeric),
            WalOperation.DropPayloadIndex("c"),
            WalOperation.DropTextIndex("t"));

        byte[] expected = Bytes(
            7,
            (byte)2, NumericId, 7UL, "a",
            (byte)3, StringId, "k", "", 7, Encoding.UTF8.GetBytes("{\"x\":1}"),
            (byte)3, NumericId, 8UL, "", -1,
            (byte)4, NumericId, 9UL, "ns", 5L,
            (byte)5, "a.b", (byte)1,
            (byte)6, "c",
            (byte)8, "t");
        Assert.Equal(expected, batch);

        List<WalOperation> ops = WalBatchCodec.Decode(batch);
        Assert.Equal(
            [WalOperationType.Delete, WalOperationType.SetPayload, WalOperationType.SetPayload, WalOperationType.SetExpiry,
             WalOperationType.CreatePayloadIndex, WalOperationType.DropPayloadIndex, WalOperationType.DropTextIndex],
            ops.Select(o => o.Type));
        Assert.Equal((new RecordId(7), "a"), (ops[0].Id, ops[0].Namespace));
        Assert.Equal((new RecordId("k"), ""), (ops[1].Id, ops[1].Namespace));
        Assert.Equal("{\"x\":1}", Encoding.UTF8.GetString(ops[1].Payload!.Value.Utf8));
        Assert.Equal(1, ops[1].Payload!.Value.Element.GetProperty("x").GetInt32());
        Assert.Null(ops[2].Payload);
        Assert.Equal((new RecordId(9), "ns", 5L), (ops[3].Id, ops[3].Namespace, ops[3].ExpiresAtTicks));
        Assert.Equal(("a.b", PayloadIndexKind.Numeric), (ops[4].Field, ops[4].IndexKind));
        Assert.Equal("c", ops[5].Field);
        Assert.Equal("t", ops[6].Field);
    }

    [Fact]
    public void A_dense_upsert_is_type_1_and_one_with_sparse_or_multi_vector_spaces_is_type_9()
    {
        var dense = new StoredRecord(new RecordId(2), "", 0, (EncodedPayload?)null, [new float[] { 1.5f, -2f }]);
        var extended = new StoredRecord(new RecordId(3), "n", 11, Payload("{}"), [new float[] { 0.25f }],
            sparse: [new SparseVector([3u, 9u], [0.5f, 4f]), null],
            multi: [[[1f, 2f], [3f, 4f]], null, []]);

        byte[] batch = Encode(WalOperation.Upsert(dense), WalOperation.Upsert(extended));

        byte[] expected = Bytes(
            2,
            (byte)1, NumericId, 2UL, "", 0L, -1, (ushort)1, 2, 1.5f, -2f,
            (byte)9, NumericId, 3UL, "n", 11L, 2, Encoding.UTF8.GetBytes("{}"), (ushort)1, 1, 0.25f,
            (ushort)2, 2, 3u, 9u, 0.5f, 4f, -1,                  // sparse: two spaces, the second empty
            (ushort)3, 2, 2u, 1f, 2f, 3f, 4f, -1, 0, 0u);      // multi: a 2x2 matrix, none, no tokens
        Assert.Equal(expected, batch);

        List<WalOperation> ops = WalBatchCodec.Decode(batch);
        StoredRecord a = ops[0].Record!;
        Assert.Equal((new RecordId(2), "", 0L, (byte[]?)null), (a.Id, a.Namespace, a.ExpiresAtTicks, a.PayloadUtf8));
        Assert.Equal([1.5f, -2f], a.Vectors.Single().ToArray());
        Assert.Empty(a.Sparse);
        Assert.Empty(a.Multi);

        StoredRecord b = ops[1].Record!;
        Assert.Equal((new RecordId(3), "n", 11L), (b.Id, b.Namespace, b.ExpiresAtTicks));
        Assert.Equal("{}"u8.ToArray(), b.PayloadUtf8);
        Assert.Equal([0.25f], b.Vectors.Single().ToArray());
        Assert.Equal(2, b.Sparse.Length);
        Assert.Equal([3u, 9u], b.Sparse[0]!.IndexArray);
        Assert.Equal([0.5f, 4f], b.Sparse[0]!.ValueArray);
        Assert.Null(b.Sparse[1]);
        Assert.Equal(3, b.Multi.Length);
        Assert.Equal([[1f, 2f], [3f, 4f]], b.Multi[0]!);
        Assert.Null(b.Multi[1]);
        Assert.Empty(b.Multi[2]!);
    }

    public static TheoryData<string, byte[], string> Damaged => new()
    {
        { "negative count", Bytes(-1), "operation count -1 is impossible for a 4-byte batch" },
        { "count past the bytes", Bytes(6, (byte)2), "operation count 6 is impossible for a 5-byte batch" },
        // A count equal to the batch's length passes the count check and fails on the bytes that are not there.
        { "count of the batch's length", Bytes(5, (byte)2), "needed 1 bytes at offset 5, only 0 remain" },
        { "bytes left over", Bytes(1, (byte)2, NumericId, 7UL, "", (byte)0), "1 bytes left over after 1 operations" },
        { "operation type 0", Bytes(1, (byte)0), "unknown operation type 0 at offset 4" },
        { "operation type 10", Bytes(1, (byte)10), "unknown operation type 10 at offset 4" },
        { "unknown id kind", Bytes(1, (byte)2, (byte)2, 7UL, ""), "unknown id kind 2" },
        { "expiry -1", Bytes(1, (byte)4, NumericId, 7UL, "", -1L), "expiry -1 is neither 0 (none) nor UTC ticks up to 3155378975999999999" },
        { "expiry past DateTime", Bytes(1, (byte)4, NumericId, 7UL, "", 3155378976000000000L), "expiry 3155378976000000000 is neither 0 (none) nor UTC ticks up to 3155378975999999999" },
        { "unknown index kind", Bytes(1, (byte)5, "a", (byte)3), "unknown payload index kind 3" },
        { "vector count -1", Bytes(1, (byte)1, NumericId, 7UL, "", 0L, -1, (ushort)1, -1), "a vector of -1 floats runs past the end of the data" },
        { "vector past the end", Bytes(1, (byte)1, NumericId, 7UL, "", 0L, -1, (ushort)1, 2, 1f), "a vector of 2 floats runs past the end of the data" },
        { "sparse count -2", Bytes(1, (byte)9, NumericId, 7UL, "", 0L, -1, (ushort)0, (ushort)1, -2), "sparse vector 0 claims -2 entries (at most 65536)" },
        { "sparse count 65537", Bytes(1, (byte)9, NumericId, 7UL, "", 0L, -1, (ushort)0, (ushort)1, 65537), "sparse vector 0 claims 65537 entries (at most 65536)" },
        { "token count -2", Bytes(1, (byte)9, NumericId, 7UL, "", 0L, -1, (ushort)0, (ushort)0, (ushort)1, -2, 1u), "multi-vector 0 claims -2 tokens of dimension 1" },
        { "token count 4097", Bytes(1, (byte)9, NumericId, 7UL, "", 0L, -1, (ushort)0, (ushort)0, (ushort)1, 4097, 1u), "multi-vector 0 claims 4097 tokens of dimension 1" },
        { "token dimension 65537", Bytes(1, (byte)9, NumericId, 7UL, "", 0L, -1, (ushort)0, (ushort)0, (ushort)1, 1, 65537u), "multi-vector 0 claims 1 tokens of dimension 65537" },
        { "payload an array", Bytes(1, (byte)3, NumericId, 7UL, "", 3, Encoding.UTF8.GetBytes("[1]")), "a stored payload is not one JSON object (Array)" },
        { "payload of 0 bytes", Bytes(1, (byte)3, NumericId, 7UL, "", 0), "a stored payload is not valid JSON: " },
        { "upsert payload of 0 bytes", Bytes(1, (byte)1, NumericId, 7UL, "", 0L, 0, (ushort)0), "a stored payload is not valid JSON: " },
        { "payload with trailing bytes", Bytes(1, (byte)3, NumericId, 7UL, "", 3, Encoding.UTF8.GetBytes("{}1")), "a stored payload is not one JSON object (Object)" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void Bytes_the_writer_cannot_have_written_do_not_decode(string kind, byte[] batch, string message)
    {
        _ = kind;
        var ex = Assert.Throws<FormatException>(() => WalBatchCodec.Decode(batch));
        if (message.EndsWith(": ", StringComparison.Ordinal))
        {
            Assert.StartsWith(message, ex.Message); // the rest is System.Text.Json's own wording
            return;
        }
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void The_largest_counts_and_expiry_the_writer_can_write_decode()
    {
        byte[] batch = Bytes(1, (byte)4, NumericId, 7UL, "", 3155378975999999999L);
        Assert.Equal(3155378975999999999L, WalBatchCodec.Decode(batch).Single().ExpiresAtTicks);

        // 4,096 tokens of dimension 0 and a sparse vector of 0 entries: at the limits, in few bytes.
        byte[] upsert = Bytes(1, (byte)9, NumericId, 7UL, "", 0L, -1, (ushort)0, (ushort)1, 0, (ushort)1, 4096, 0u);
        StoredRecord record = WalBatchCodec.Decode(upsert).Single().Record!;
        Assert.Equal(0, record.Sparse.Single()!.Count);
        Assert.Equal(4096, record.Multi.Single()!.Length);
    }

    [Fact]
    public void An_invalid_payload_index_path_or_string_id_or_payload_is_named()
    {
        var path = Assert.Throws<FormatException>(() => WalBatchCodec.Decode(Bytes(1, (byte)5, "a..b", (byte)0)));
        Assert.StartsWith("payload index field 'a..b' is not a valid path: ", path.Message);

        var id = Assert.Throws<FormatException>(() => WalBatchCodec.Decode(Bytes(1, (byte)2, StringId, "", "")));
        Assert.Equal("the stored record id is not one the writer accepts: A record id must not be an empty string.", id.Message);
        Assert.IsType<InvalidRecordException>(id.InnerException);

        var json = Assert.Throws<FormatException>(() => WalBatchCodec.Decode(Bytes(1, (byte)3, NumericId, 7UL, "", 1, Encoding.UTF8.GetBytes("{"))));
        Assert.StartsWith("a stored payload is not valid JSON: ", json.Message);
    }

    [Fact]
    public void An_upsert_with_only_sparse_or_only_multi_vector_spaces_is_type_9_and_keeps_them()
    {
        var sparseOnly = new StoredRecord(new RecordId(1), "", 0, (EncodedPayload?)null, [], sparse: [new SparseVector([5u], [1f])]);
        var multiOnly = new StoredRecord(new RecordId(2), "", 0, (EncodedPayload?)null, [], multi: [[[2f]]]);

        byte[] batch = Encode(WalOperation.Upsert(sparseOnly), WalOperation.Upsert(multiOnly));

        Assert.Equal(
            Bytes(2,
                (byte)9, NumericId, 1UL, "", 0L, -1, (ushort)0, (ushort)1, 1, 5u, 1f, (ushort)0,
                (byte)9, NumericId, 2UL, "", 0L, -1, (ushort)0, (ushort)0, (ushort)1, 1, 1u, 2f),
            batch);
        List<WalOperation> ops = WalBatchCodec.Decode(batch);
        Assert.Equal([5u], ops[0].Record!.Sparse.Single()!.IndexArray);
        Assert.Equal([[2f]], ops[1].Record!.Multi.Single()!);
    }

    [Fact]
    public void A_decoded_upsert_carries_its_parsed_payload_for_replay()
    {
        byte[] batch = Bytes(1, (byte)1, NumericId, 7UL, "", 0L, 8, Encoding.UTF8.GetBytes("{\"n\":12}"), (ushort)0);
        StoredRecord record = WalBatchCodec.Decode(batch).Single().Record!;
        Assert.Equal(12, record.Payload.GetProperty("n").GetInt32());
    }

    [Fact]
    public void Encoding_into_a_used_buffer_starts_it_afresh()
    {
        var buffer = new BinaryBuffer();
        WalBatchCodec.Encode([WalOperation.DropPayloadIndex("old")], buffer);
        WalBatchCodec.Encode([WalOperation.Delete(new RecordId(1), "")], buffer);
        Assert.Equal(Bytes(1, (byte)2, NumericId, 1UL, ""), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void An_empty_batch_decodes_to_no_operations()
    {
        Assert.Empty(WalBatchCodec.Decode(Bytes(0)));
    }

    [Fact]
    public void The_largest_sparse_vector_and_token_dimension_decode()
    {
        // 65,536 entries (indices 0.., weights 1) and 0 tokens of dimension 65,536: exactly at the limits.
        var parts = new List<object> { 1, (byte)9, NumericId, 7UL, "", 0L, -1, (ushort)0, (ushort)1, 65536 };
        byte[] indices = new byte[65536 * 4];
        byte[] weights = new byte[65536 * 4];
        for (int i = 0; i < 65536; i++)
        {
            BitConverter.TryWriteBytes(indices.AsSpan(4 * i), (uint)i);
            BitConverter.TryWriteBytes(weights.AsSpan(4 * i), 1f);
        }
        parts.AddRange([indices, weights, (ushort)1, 0, 65536u]);
        StoredRecord record = WalBatchCodec.Decode(Bytes([.. parts])).Single().Record!;
        Assert.Equal(65536, record.Sparse.Single()!.Count);
        Assert.Empty(record.Multi.Single()!);
    }

    [Fact]
    public void A_text_index_definition_round_trips()
    {
        using var doc = System.Text.Json.JsonDocument.Parse("{\"name\":\"body\",\"fields\":[\"title\",\"text\"],\"language\":\"english\",\"lowercase\":true,\"foldToAscii\":false,\"removeStopWords\":true,\"stem\":false,\"ngramMin\":0,\"ngramMax\":0,\"k1\":1.5,\"b\":0.5}");
        var definition = VectLite.Text.TextIndexDefinition.ReadJson(doc.RootElement);
        WalOperation op = WalBatchCodec.Decode(Encode(WalOperation.CreateTextIndex(definition))).Single();
        Assert.Equal((WalOperationType.CreateTextIndex, "body"), (op.Type, op.Field));
        Assert.Equal(["title", "text"], op.TextIndex!.Fields.Select(f => f.Text));
    }
}
