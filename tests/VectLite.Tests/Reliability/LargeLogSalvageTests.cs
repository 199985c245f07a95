using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using VectLite.Tests.Engine;
using VectLite.Tests.Support;

namespace VectLite.Tests.Reliability;

/// <summary>
/// <see cref="Database.Recover"/> on a log of several MiB, longer than the 1 MiB chunks the salvage copies the damaged
/// log aside in, with the damage past the first chunk: every batch before the damage is replayed byte for byte, and
/// the set-aside copy holds every batch after it, byte for byte.
/// </summary>
public sealed class LargeLogSalvageTests : IDisposable
{
    private const int Batches = 40;
    private const int PerBatch = 10;
    private const int Dimension = 64;
    private const int DamagedBatch = 21; // about 1.9 MiB into a 3.6 MiB log

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WalPath => Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");

    private static Record MakeRecord(int id, Random random)
    {
        var vector = new float[Dimension];
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(random.NextDouble() * 2 - 1);
        }
        var text = new char[8_500];
        for (int i = 0; i < text.Length; i++)
        {
            text[i] = (char)('a' + random.Next(26));
        }
        return new Record(id, vector, new JsonObject { ["id"] = id, ["text"] = new string(text) });
    }

    [Fact]
    public void Recover_keeps_every_batch_before_the_damage_and_sets_aside_every_batch_after_it_in_a_multi_MiB_log()
    {
        var random = new Random(20261201);
        List<Record> written = [.. Enumerable.Range(0, Batches * PerBatch).Select(id => MakeRecord(id, random))];
        using (Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush, AutoCheckpoint = AutoCheckpointOptions.Disabled }))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(HnswOptions.Disabled));
            for (int b = 0; b < Batches; b++)
            {
                c.UpsertMany(written.Skip(b * PerBatch).Take(PerBatch));
            }
        }
        byte[] pristine = File.ReadAllBytes(WalPath);
        List<long> frames = WalFrames.Offsets(pristine);
        Assert.Equal(Batches, frames.Count);
        Assert.True(pristine.Length > 3 << 20, $"the log is {pristine.Length} bytes: not several 1 MiB copy chunks");
        Assert.True(frames[DamagedBatch] > 1 << 20, "the damage must lie past the first copy chunk");

        byte[] damaged = (byte[])pristine.Clone();
        damaged[frames[DamagedBatch] + 2_000] ^= 0x10; // inside a payload: the frame's checksum fails
        File.WriteAllBytes(WalPath, damaged);

        CollectionRecovery docs = Assert.Single(Database.Recover(_temp.Path).Collections);

        Assert.True(docs.Repaired);
        Assert.Equal(DamagedBatch, docs.KeptBatches);
        Assert.Equal(frames[DamagedBatch], docs.DamageOffset);
        Assert.Equal(damaged.Length - frames[DamagedBatch], docs.BytesSetAside);
        Assert.Equal(frames[DamagedBatch], new FileInfo(WalPath).Length);

        // The copy: the damaged log whole, so every batch after the damage is there, intact and byte for byte.
        byte[] backup = File.ReadAllBytes(docs.BackupPath!);
        Assert.Equal(damaged.Length, backup.Length);
        Assert.Equal(damaged, backup);
        for (int b = DamagedBatch + 1; b < Batches; b++)
        {
            long start = frames[b];
            long end = b + 1 < Batches ? frames[b + 1] : pristine.Length;
            Assert.True(WalFrames.IsIntact(backup, start), $"batch {b + 1} is damaged in the set-aside copy");
            Assert.True(backup.AsSpan((int)start, (int)(end - start)).SequenceEqual(pristine.AsSpan((int)start, (int)(end - start))), $"batch {b + 1} differs in the set-aside copy");
        }

        // The live log: every batch before the damage, each record as written (vectors bit for bit), nothing after it.
        using Database reopened = _temp.Open();
        Collection collection = reopened.GetCollection("docs");
        Assert.Equal(DamagedBatch * PerBatch, collection.Count());
        foreach (Record expected in written)
        {
            Record? actual = collection.Get(expected.Id);
            if (expected.Id.AsNumber >= DamagedBatch * PerBatch)
            {
                Assert.Null(actual);
                continue;
            }
            Assert.NotNull(actual);
            Assert.True(MemoryMarshal.AsBytes(actual.Vectors[CollectionSchema.DefaultVectorName].Span)
                .SequenceEqual(MemoryMarshal.AsBytes(expected.Vector!.Value.Span)), $"record {expected.Id}: the vector changed");
            Assert.Equal(expected.Payload!.ToJsonString(), actual.Payload!.ToJsonString());
        }
    }
}
