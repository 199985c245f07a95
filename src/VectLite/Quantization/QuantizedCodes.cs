using VectLite.Vectors;

namespace VectLite.Quantization;

/// <summary>
/// One named vector's trained codec and the codes of its rows: what a quantized search walks the graph on. Replaced
/// whole, never retrained in place: a retrain builds a new instance in a new state (at a checkpoint), so a search that
/// took this one sees one codec and codes made by it.
/// </summary>
/// <remarks>Thread safety: one writer (<see cref="EncodeUpTo"/>) and any number of searches over encoded rows.</remarks>
internal sealed class QuantizedCodes
{
    private int _encodedRows;

    /// <summary>Creates empty codes for <paramref name="codec"/>; <paramref name="origin"/> says how they came to be (stats).</summary>
    internal QuantizedCodes(VectorCodec codec, string origin)
    {
        Codec = codec;
        Store = new CodeStore(codec.CodeBytes);
        Origin = origin;
    }

    internal VectorCodec Codec { get; }

    internal CodeStore Store { get; }

    /// <summary>"trained" (first training), "retrained" (drift at a checkpoint), "carried" (kept over a checkpoint) or "loaded" (from a checkpoint file).</summary>
    internal string Origin { get; }

    /// <summary>Rows below this have codes.</summary>
    internal int EncodedRows => Volatile.Read(ref _encodedRows);

    /// <summary>Components encoded since the codec was trained (writer side; persisted with the codes).</summary>
    internal long EncodedValues { get; private set; }

    /// <summary>Of <see cref="EncodedValues"/>, those outside the trained ranges.</summary>
    internal long ClippedValues { get; private set; }

    /// <summary>Whether the data has drifted from the codec: more than <see cref="QuantizationOptions.RetrainClippedShare"/> of the values encoded since training were outside its ranges.</summary>
    internal bool Drifted => EncodedValues > 0 && ClippedValues > QuantizationOptions.RetrainClippedShare * EncodedValues;

    /// <summary>Encodes rows [<see cref="EncodedRows"/>, <paramref name="rows"/>) of <paramref name="arena"/>. Writer only, before the rows reach a graph.</summary>
    /// <param name="arena">The float32 vectors.</param>
    /// <param name="rows">The row count to encode up to.</param>
    /// <param name="countDrift">Whether these rows count towards drift (not the training rows themselves).</param>
    internal void EncodeUpTo(VectorArena arena, int rows, bool countDrift)
    {
        int from = _encodedRows;
        if (rows <= from)
        {
            return;
        }
        var scratch = new float[arena.Dimension];
        long clipped = 0;
        for (int row = from; row < rows; row++)
        {
            clipped += Codec.Encode(arena.Get(row), Store.Write(row), scratch);
        }
        if (countDrift)
        {
            EncodedValues += (long)(rows - from) * arena.Dimension;
            ClippedValues += clipped;
        }
        Volatile.Write(ref _encodedRows, rows); // after the codes: a reader that sees the count sees them
    }

    /// <summary>Installs loaded codes: rows [0, <paramref name="rows"/>) were copied into <see cref="Store"/> by the loader.</summary>
    internal void SetLoaded(int rows, long encodedValues, long clippedValues)
    {
        EncodedValues = encodedValues;
        ClippedValues = clippedValues;
        Volatile.Write(ref _encodedRows, rows);
    }

    /// <summary>Bytes held: the codes and the codec's per-dimension tables.</summary>
    internal long MemoryBytes => Store.MemoryBytes + (5L * Codec.Dimension * sizeof(float));
}
