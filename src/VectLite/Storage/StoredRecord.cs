using System.Text.Json;

namespace VectLite.Storage;

/// <summary>
/// A record as the storage layer writes it: key, expiry, payload bytes and vectors by schema ordinal.
/// Vectors are already validated by the time one of these is built, and hold the caller's values unchanged (also for cosine).
/// </summary>
internal sealed class StoredRecord
{
    /// <summary>A record to write to a file: the payload as bytes only (<see cref="Payload"/> stays undefined).</summary>
    public StoredRecord(RecordId id, string @namespace, long expiresAtTicks, byte[]? payloadUtf8, ReadOnlyMemory<float>[] vectors, SparseVector?[]? sparse = null, float[][]?[]? multi = null)
    {
        Multi = multi ?? [];
        Id = id;
        Namespace = @namespace;
        ExpiresAtTicks = expiresAtTicks;
        PayloadUtf8 = payloadUtf8;
        Vectors = vectors;
        Sparse = sparse ?? [];
    }

    /// <summary>A record to log and apply: the payload both as bytes and parsed, so applying it cannot fail.</summary>
    public StoredRecord(RecordId id, string @namespace, long expiresAtTicks, EncodedPayload? payload, ReadOnlyMemory<float>[] vectors, SparseVector?[]? sparse = null, float[][]?[]? multi = null)
        : this(id, @namespace, expiresAtTicks, payload?.Utf8, vectors, sparse, multi)
    {
        Payload = payload?.Element ?? default;
    }

    public RecordId Id { get; }

    /// <summary>The namespace; "" is the default namespace.</summary>
    public string Namespace { get; }

    /// <summary>UTC ticks after which the record is invisible, or 0 for no expiry.</summary>
    public long ExpiresAtTicks { get; }

    /// <summary>The payload as UTF-8 JSON (always an object), or null for none.</summary>
    public byte[]? PayloadUtf8 { get; }

    /// <summary>The parsed payload, for records built to be applied; <c>default</c> (undefined) when there is none.</summary>
    public JsonElement Payload { get; }

    /// <summary>
    /// One vector per named vector of the schema, by ordinal. Empty for a metadata-only collection. A copy the caller
    /// cannot change: an array of its own, or, for a large batch, the arena row the record is about to take
    /// (CollectionEngine.StagedVectors). Writer only: staging replaces the entries.
    /// </summary>
    public ReadOnlyMemory<float>[] Vectors { get; }

    /// <summary>
    /// One entry per sparse vector space of the schema, by ordinal: the record's vector there, or null when it has none.
    /// Empty for a schema without sparse spaces. Validated (distinct indices, finite weights) before it is built.
    /// </summary>
    public SparseVector?[] Sparse { get; }

    /// <summary>
    /// Writes the sparse section shared by the log's sparse upserts and version 2 records files: u16 space count, then per
    /// space an i32 entry count (-1: no vector in that space), the u32 indices and the float32 weights.
    /// </summary>
    public static void WriteSparse(BinaryBuffer buffer, SparseVector?[] sparse)
    {
        buffer.WriteUInt16((ushort)sparse.Length);
        foreach (SparseVector? vector in sparse)
        {
            if (vector is null)
            {
                buffer.WriteInt32(-1);
                continue;
            }
            buffer.WriteInt32(vector.Count);
            buffer.WriteBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.IndexArray.AsSpan()));
            buffer.WriteFloats(vector.ValueArray);
        }
    }

    /// <summary>
    /// One entry per multi-vector space of the schema, by ordinal: the record's token vectors there (each of the space's
    /// dimension), or null when it has none. Empty for a schema without multi-vector spaces.
    /// </summary>
    public float[][]?[] Multi { get; }

    /// <summary>Whether the record is written in the extended form (log operation 9, records file version 2).</summary>
    public bool HasExtendedSpaces => Sparse.Length > 0 || Multi.Length > 0;

    /// <summary>
    /// Writes the sections that follow the payload (records file version 2) or the dense vectors (log operation 9):
    /// the sparse section (<see cref="WriteSparse"/>), then the multi-vector section: u16 space count, then per space an
    /// i32 token count (-1: none), and for a matrix a u32 dimension and count x dimension float32 values.
    /// </summary>
    public void WriteExtendedSpaces(BinaryBuffer buffer)
    {
        WriteSparse(buffer, Sparse);
        buffer.WriteUInt16((ushort)Multi.Length);
        foreach (float[][]? tokens in Multi)
        {
            if (tokens is null)
            {
                buffer.WriteInt32(-1);
                continue;
            }
            buffer.WriteInt32(tokens.Length);
            buffer.WriteUInt32((uint)(tokens.Length == 0 ? 0 : tokens[0].Length));
            foreach (float[] token in tokens)
            {
                buffer.WriteFloats(token);
            }
        }
    }

    /// <summary>Reads what <see cref="WriteExtendedSpaces"/> wrote.</summary>
    /// <exception cref="FormatException">A count or dimension is impossible.</exception>
    public static (SparseVector?[] Sparse, float[][]?[] Multi) ReadExtendedSpaces(ref BinaryCursor cursor)
    {
        SparseVector?[] sparse = ReadSparse(ref cursor);
        int spaces = cursor.ReadUInt16();
        var multi = new float[][]?[spaces];
        for (int i = 0; i < spaces; i++)
        {
            int count = cursor.ReadInt32();
            if (count == -1)
            {
                continue;
            }
            uint dimension = cursor.ReadUInt32();
            if (count < 0 || count > MultiVectorSpec.MaxTokens || dimension > VectorSpec.MaxDimension)
            {
                throw new FormatException($"multi-vector {i} claims {count} tokens of dimension {dimension}");
            }
            var tokens = new float[count][];
            for (int t = 0; t < count; t++)
            {
                tokens[t] = cursor.ReadFloats((int)dimension);
            }
            multi[i] = tokens;
        }
        return (sparse, multi);
    }

    /// <summary>Reads what <see cref="WriteSparse"/> wrote.</summary>
    /// <exception cref="FormatException">An entry count is impossible (above <see cref="SparseVectorSpec.MaxEntries"/> or below -1).</exception>
    public static SparseVector?[] ReadSparse(ref BinaryCursor cursor)
    {
        int spaces = cursor.ReadUInt16();
        var sparse = new SparseVector?[spaces];
        for (int i = 0; i < spaces; i++)
        {
            int count = cursor.ReadInt32();
            if (count == -1)
            {
                continue;
            }
            if (count < 0 || count > SparseVectorSpec.MaxEntries)
            {
                throw new FormatException($"sparse vector {i} claims {count} entries (at most {SparseVectorSpec.MaxEntries})");
            }
            uint[] indices = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(cursor.ReadBytes(count * sizeof(uint))).ToArray();
            float[] values = cursor.ReadFloats(count);
            sparse[i] = new SparseVector(indices, values, owned: true);
        }
        return sparse;
    }

    /// <summary>Writes id, namespace, expiry and payload (not vectors): the part shared by the WAL and the records file.</summary>
    public void WriteKeyAndPayload(BinaryBuffer buffer)
    {
        WriteKey(buffer, Id, Namespace);
        buffer.WriteInt64(ExpiresAtTicks);
        if (PayloadUtf8 is null)
        {
            buffer.WriteInt32(-1);
        }
        else
        {
            buffer.WriteInt32(PayloadUtf8.Length);
            buffer.WriteBytes(PayloadUtf8);
        }
    }

    /// <summary>Reads what <see cref="WriteKeyAndPayload"/> wrote.</summary>
    public static (RecordId Id, string Namespace, long ExpiresAtTicks, byte[]? Payload) ReadKeyAndPayload(ref BinaryCursor cursor)
    {
        (RecordId id, string ns) = ReadKey(ref cursor);
        long expires = ReadExpiry(ref cursor);
        int payloadLength = cursor.ReadInt32();
        byte[]? payload = payloadLength < 0 ? null : cursor.ReadBytes(payloadLength).ToArray();
        return (id, ns, expires, payload);
    }

    /// <summary>An id (kind byte, then u64 or short string) followed by the namespace.</summary>
    public static void WriteKey(BinaryBuffer buffer, RecordId id, string @namespace)
    {
        if (id.IsString)
        {
            buffer.WriteByte(1);
            buffer.WriteShortString(id.AsString);
        }
        else
        {
            buffer.WriteByte(0);
            buffer.WriteUInt64(id.AsNumber);
        }
        buffer.WriteShortString(@namespace);
    }

    public static (RecordId Id, string Namespace) ReadKey(ref BinaryCursor cursor)
    {
        byte kind = cursor.ReadByte();
        RecordId id = kind switch
        {
            0 => new RecordId(cursor.ReadUInt64()),
            1 => ReadStringId(ref cursor),
            _ => throw new FormatException($"unknown id kind {kind}"),
        };
        return (id, cursor.ReadShortString());
    }

    /// <summary>
    /// Reads an expiry: 0 for none, else UTC ticks a <see cref="DateTime"/> can hold. The writer never stores anything
    /// else, so another value is damage, refused here rather than thrown untyped when the record is read.
    /// </summary>
    /// <exception cref="FormatException">The value is negative or past <see cref="DateTime.MaxValue"/>.</exception>
    public static long ReadExpiry(ref BinaryCursor cursor)
    {
        long ticks = cursor.ReadInt64();
        if (ticks < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            throw new FormatException($"expiry {ticks} is neither 0 (none) nor UTC ticks up to {DateTime.MaxValue.Ticks}");
        }
        return ticks;
    }

    /// <summary>Reads a string id, refusing one the writer would have refused (empty, too long, not valid text).</summary>
    private static RecordId ReadStringId(ref BinaryCursor cursor)
    {
        string value = cursor.ReadShortString();
        try
        {
            return new RecordId(value);
        }
        catch (InvalidRecordException ex)
        {
            throw new FormatException($"the stored record id is not one the writer accepts: {ex.Message}", ex);
        }
    }
}
