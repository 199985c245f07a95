namespace VectLite.Storage;

/// <summary>
/// One committed transaction as the database's transaction log stores it: for each collection it touches, the LSN its
/// part takes in that collection's log and the part itself (a batch in <see cref="WalBatchCodec"/>'s encoding).
/// <code>
/// u16 part count, then per part: collection name (u16 length + UTF-8), i64 LSN, i32 batch length, batch bytes
/// </code>
/// </summary>
internal sealed record TransactionRecord(IReadOnlyList<TransactionPart> Parts)
{
    /// <summary>Encodes the record into <paramref name="buffer"/> (cleared first).</summary>
    public void Encode(BinaryBuffer buffer)
    {
        buffer.Clear();
        buffer.WriteUInt16(checked((ushort)Parts.Count));
        foreach (TransactionPart part in Parts)
        {
            buffer.WriteShortString(part.Collection);
            buffer.WriteInt64(part.Lsn);
            buffer.WriteInt32(part.Batch.Length);
            buffer.WriteBytes(part.Batch);
        }
    }

    /// <summary>Decodes a record that passed its frame checksum.</summary>
    /// <exception cref="FormatException">The bytes are not a transaction record.</exception>
    public static TransactionRecord Decode(ReadOnlySpan<byte> bytes)
    {
        var cursor = new BinaryCursor(bytes); // throws FormatException when cut short
        int count = cursor.ReadUInt16();
        var parts = new List<TransactionPart>(count);
        for (int i = 0; i < count; i++)
        {
            string collection = cursor.ReadShortString();
            long lsn = cursor.ReadInt64();
            int length = cursor.ReadInt32();
            if (length < 0 || length > cursor.Remaining)
            {
                throw new FormatException($"part {i} claims {length} bytes, {cursor.Remaining} remain");
            }
            parts.Add(new TransactionPart(collection, lsn, cursor.ReadBytes(length).ToArray()));
        }
        if (cursor.Remaining != 0)
        {
            throw new FormatException($"{cursor.Remaining} bytes follow the last part");
        }
        return new TransactionRecord(parts);
    }
}
