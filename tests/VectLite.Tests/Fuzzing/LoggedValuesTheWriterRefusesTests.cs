using VectLite.Storage;
using VectLite.Tests.Engine;
using VectLite.Tests.Support;

namespace VectLite.Tests.Fuzzing;

/// <summary>
/// Found by the walbatch and records fuzz targets: a log batch (or a records-file entry) that passed its checksum but
/// held a value the writer never writes (an empty string id, an expiry no DateTime can hold, an invalid payload index
/// path, an index of another kind on an indexed field) made every open of the collection throw
/// InvalidRecordException, SchemaException or an untyped ArgumentOutOfRangeException (on the first read) instead of
/// the CorruptFileException that names the file and the batch, which is what a damaged log is.
/// </summary>
public sealed class LoggedValuesTheWriterRefusesTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Batch bodies (u32 count, then per operation a type byte and its fields; see docs/file-format.md).</summary>
    public static TheoryData<string, string> Batches() => new()
    {
        // Upsert (1): id kind 1 (string), length 0 => ""; namespace ""; expiry 0; no payload; no vectors.
        { "empty string id", "01000000" + "01" + "01" + "0000" + "0000" + "0000000000000000" + "FFFFFFFF" + "0000" },
        // Upsert (1): id 7; namespace ""; expiry -1; no payload; no vectors.
        { "negative expiry", "01000000" + "01" + "00" + "0700000000000000" + "0000" + "FFFFFFFFFFFFFFFF" + "FFFFFFFF" + "0000" },
        // SetExpiry (4): id 7; namespace ""; expiry long.MaxValue, past DateTime.MaxValue.
        { "expiry past DateTime.MaxValue", "01000000" + "04" + "00" + "0700000000000000" + "0000" + "FFFFFFFFFFFFFF7F" },
        // CreatePayloadIndex (5): field "" (length 0), kind 0 (keyword).
        { "index on an empty path", "01000000" + "05" + "0000" + "00" },
        // CreatePayloadIndex (5): field "tag", kind 1 (numeric), while "tag" has a keyword index.
        { "index of another kind", "01000000" + "05" + "0300" + "746167" + "01" },
    };

    [Theory]
    [MemberData(nameof(Batches))]
    public void A_logged_batch_holding_a_value_the_writer_refuses_is_corruption(string what, string batchHex)
    {
        string directory = _temp.CollectionDirectory("meta");
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("meta", CollectionSchema.MetadataOnly());
            c.CreatePayloadIndex("tag", PayloadIndexKind.Keyword);
            c.Upsert(new Record(7));
            c.Compact();
        }
        WalFrames.Append(Path.Combine(directory, "wal.vlwal"), CheckpointManifest.Read(directory).Lsn + 1, Convert.FromHexString(batchHex));

        using (Database reopened = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            var ex = Assert.Throws<CorruptFileException>(() => reopened.GetCollection("meta"));
            Assert.True(ex.FilePath == Path.Combine(directory, "wal.vlwal"), $"{what}: the error names {ex.FilePath}");
            Assert.Equal(32, ex.Offset); // the frame starts right after the 32-byte log header
        }

        // Verify calls it damage, and salvage cuts it off, by the same rule the open applies: afterwards it opens.
        Assert.False(Database.Verify(_temp.Path).IsIntact, what);
        CollectionRecovery recovery = Assert.Single(Database.Recover(_temp.Path).Collections);
        Assert.True(recovery.Repaired, what);
        Assert.Equal(32, recovery.DamageOffset);
        using Database salvaged = _temp.Open(new DatabaseOptions { ReadOnly = true });
        Assert.Equal(1, salvaged.GetCollection("meta").Count());
    }
}
