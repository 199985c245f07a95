using VectLite.Filtering;

namespace VectLite.Storage;

/// <summary>
/// Encodes and decodes the body of one WAL frame: a u32 operation count, then each operation as a type byte and its
/// fields (see docs/file-format.md). A batch is the unit of atomicity: replay applies all of it or, torn, none.
/// </summary>
internal static class WalBatchCodec
{
    /// <summary>
    /// About the bytes <see cref="Encode(IReadOnlyList{WalOperation}, BinaryBuffer)"/> writes for <paramref name="operations"/>, at least the vectors' and payloads'
    /// (the bulk of a batch) plus a generous allowance for keys and headers, so one allocation fits a large batch.
    /// </summary>
    internal static long SizeHint(IReadOnlyList<WalOperation> operations)
    {
        long bytes = 4;
        foreach (WalOperation op in operations)
        {
            bytes += 64;
            if (op.Record is not { } record)
            {
                continue;
            }
            bytes += (record.PayloadUtf8?.Length ?? 0) + (3L * record.Namespace.Length) + (record.Id.IsString ? 3L * record.Id.AsString.Length : 0);
            foreach (ReadOnlyMemory<float> vector in record.Vectors)
            {
                bytes += 4 + (4L * vector.Length);
            }
            foreach (float[][]? tokens in record.Multi)
            {
                foreach (float[] token in tokens ?? [])
                {
                    bytes += 8 + (4L * token.Length);
                }
            }
            foreach (SparseVector? sparse in record.Sparse)
            {
                bytes += 8 + (8L * (sparse?.Count ?? 0));
            }
        }
        return bytes;
    }

    /// <summary>
    /// The bytes a streamed encoding (<see cref="Encode(IReadOnlyList{WalOperation}, BinaryBuffer, IBatchSink)"/>) gathers
    /// before passing them on: large enough that a piece is one efficient write, small enough to stay in the cache.
    /// </summary>
    internal const int StreamPieceBytes = 1 << 20;

    /// <summary>Encodes <paramref name="operations"/> into <paramref name="buffer"/> (cleared first), whole.</summary>
    public static void Encode(IReadOnlyList<WalOperation> operations, BinaryBuffer buffer)
    {
        buffer.Clear();
        buffer.EnsureCapacity(SizeHint(operations));
        buffer.WriteInt32(operations.Count);
        foreach (WalOperation op in operations)
        {
            EncodeOperation(op, buffer);
        }
    }

    /// <summary>
    /// Encodes <paramref name="operations"/> as <see cref="Encode(IReadOnlyList{WalOperation}, BinaryBuffer)"/> does, the
    /// same bytes, but passes them to <paramref name="sink"/> in pieces of about <see cref="StreamPieceBytes"/> (whole
    /// operations; <paramref name="buffer"/> gathers each piece and is left empty). Returns the batch's length. The
    /// encoding depends on nothing but the operations, so encoding them twice gives the same bytes twice.
    /// </summary>
    public static long Encode(IReadOnlyList<WalOperation> operations, BinaryBuffer buffer, IBatchSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        buffer.Clear();
        long passed = 0;
        buffer.WriteInt32(operations.Count);
        foreach (WalOperation op in operations)
        {
            EncodeOperation(op, buffer);
            if (buffer.Length >= StreamPieceBytes)
            {
                passed += Pass(buffer, sink);
            }
        }
        return passed + Pass(buffer, sink);
    }

    private static int Pass(BinaryBuffer buffer, IBatchSink sink)
    {
        int length = buffer.Length;
        sink.Write(buffer.WrittenSpan);
        buffer.Clear();
        return length;
    }

    private static void EncodeOperation(WalOperation op, BinaryBuffer buffer)
    {
        // An upsert carrying sparse vector spaces is its own type, so logs without any keep the original format.
        bool sparse = op.Type == WalOperationType.Upsert && op.Record!.HasExtendedSpaces;
        buffer.WriteByte((byte)(sparse ? WalOperationType.UpsertSparse : op.Type));
        switch (op.Type)
        {
            case WalOperationType.Upsert:
                StoredRecord record = op.Record!;
                record.WriteKeyAndPayload(buffer);
                buffer.WriteUInt16((ushort)record.Vectors.Length);
                foreach (ReadOnlyMemory<float> vector in record.Vectors)
                {
                    buffer.WriteInt32(vector.Length);
                    buffer.WriteFloats(vector.Span);
                }
                if (sparse)
                {
                    record.WriteExtendedSpaces(buffer);
                }
                break;
            case WalOperationType.Delete:
                StoredRecord.WriteKey(buffer, op.Id, op.Namespace);
                break;
            case WalOperationType.SetPayload:
                StoredRecord.WriteKey(buffer, op.Id, op.Namespace);
                buffer.WriteInt32(op.Payload?.Utf8.Length ?? -1);
                if (op.Payload is { } payload)
                {
                    buffer.WriteBytes(payload.Utf8);
                }
                break;
            case WalOperationType.SetExpiry:
                StoredRecord.WriteKey(buffer, op.Id, op.Namespace);
                buffer.WriteInt64(op.ExpiresAtTicks);
                break;
            case WalOperationType.CreatePayloadIndex:
                buffer.WriteShortString(op.Field!);
                buffer.WriteByte((byte)op.IndexKind);
                break;
            case WalOperationType.DropPayloadIndex:
                buffer.WriteShortString(op.Field!);
                break;
            case WalOperationType.CreateTextIndex:
                op.TextIndex!.Write(buffer);
                break;
            case WalOperationType.DropTextIndex:
                buffer.WriteShortString(op.Field!);
                break;
            default:
                throw new InvalidOperationException($"Unknown WAL operation type {op.Type}.");
        }
    }

    /// <exception cref="FormatException">The bytes do not decode (the caller reports the file and frame).</exception>
    public static List<WalOperation> Decode(ReadOnlySpan<byte> batch)
    {
        var cursor = new BinaryCursor(batch);
        int count = cursor.ReadInt32();
        if (count < 0 || count > batch.Length)
        {
            throw new FormatException($"operation count {count} is impossible for a {batch.Length}-byte batch");
        }
        var operations = new List<WalOperation>(count);
        for (int i = 0; i < count; i++)
        {
            var type = (WalOperationType)cursor.ReadByte();
            switch (type)
            {
                case WalOperationType.Upsert:
                case WalOperationType.UpsertSparse:
                {
                    var (id, ns, expires, payload) = StoredRecord.ReadKeyAndPayload(ref cursor);
                    int vectorCount = cursor.ReadUInt16();
                    var vectors = new ReadOnlyMemory<float>[vectorCount];
                    for (int v = 0; v < vectorCount; v++)
                    {
                        vectors[v] = cursor.ReadFloats(cursor.ReadInt32());
                    }
                    (SparseVector?[]? sparse, float[][]?[]? multi) = type == WalOperationType.UpsertSparse ? StoredRecord.ReadExtendedSpaces(ref cursor) : (null, null);
                    operations.Add(WalOperation.Upsert(new StoredRecord(id, ns, expires, Parsed(payload), vectors, sparse, multi)));
                    break;
                }
                case WalOperationType.Delete:
                {
                    var (id, ns) = StoredRecord.ReadKey(ref cursor);
                    operations.Add(WalOperation.Delete(id, ns));
                    break;
                }
                case WalOperationType.SetPayload:
                {
                    var (id, ns) = StoredRecord.ReadKey(ref cursor);
                    int length = cursor.ReadInt32();
                    byte[]? payload = length < 0 ? null : cursor.ReadBytes(length).ToArray();
                    operations.Add(WalOperation.SetPayload(id, ns, Parsed(payload)));
                    break;
                }
                case WalOperationType.SetExpiry:
                {
                    var (id, ns) = StoredRecord.ReadKey(ref cursor);
                    operations.Add(WalOperation.SetExpiry(id, ns, StoredRecord.ReadExpiry(ref cursor)));
                    break;
                }
                case WalOperationType.CreatePayloadIndex:
                {
                    string field = cursor.ReadShortString();
                    if (!PayloadPath.TryCreate(field, out _, out string? pathError))
                    {
                        // The writer validates the path before logging, so this is damage (replaying it would throw SchemaException).
                        throw new FormatException($"payload index field '{field}' is not a valid path: {pathError}");
                    }
                    byte kind = cursor.ReadByte();
                    if (!Enum.IsDefined((PayloadIndexKind)kind))
                    {
                        throw new FormatException($"unknown payload index kind {kind}");
                    }
                    operations.Add(WalOperation.CreatePayloadIndex(field, (PayloadIndexKind)kind));
                    break;
                }
                case WalOperationType.DropPayloadIndex:
                    operations.Add(WalOperation.DropPayloadIndex(cursor.ReadShortString()));
                    break;
                case WalOperationType.CreateTextIndex:
                    operations.Add(WalOperation.CreateTextIndex(Text.TextIndexDefinition.Read(ref cursor)));
                    break;
                case WalOperationType.DropTextIndex:
                    operations.Add(WalOperation.DropTextIndex(cursor.ReadShortString()));
                    break;
                default:
                    throw new FormatException($"unknown operation type {(byte)type} at offset {cursor.Position - 1}");
            }
        }
        if (cursor.Remaining != 0)
        {
            throw new FormatException($"{cursor.Remaining} bytes left over after {count} operations");
        }
        return operations;
    }

    /// <summary>Parses a logged payload while decoding, so that applying the batch afterwards cannot fail on it.</summary>
    private static EncodedPayload? Parsed(byte[]? utf8) => utf8 is null ? null : new EncodedPayload(utf8, PayloadJson.Parse(utf8));
}
