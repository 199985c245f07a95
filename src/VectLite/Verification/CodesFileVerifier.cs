using VectLite.Quantization;
using VectLite.Storage;

namespace VectLite.Verification;

/// <summary>
/// Checks a checkpoint's quantized codes file (layout in <see cref="CodesFile"/>) by reading it as the loader does:
/// header, codec, one code per checkpoint row, whole-file checksum, and that it was written for the vector's kind and
/// metric. A damaged codes file loses nothing (the codes are retrained from the vectors at the next open), so the
/// finding says so.
/// </summary>
internal static class CodesFileVerifier
{
    /// <summary>Reads <paramref name="stream"/> as the codes of vector <paramref name="ordinal"/> and records any damage in <paramref name="check"/>.</summary>
    public static void Check(FileStream stream, CheckpointFile entry, CheckpointManifest manifest, int ordinal, FileCheck check)
    {
        if (ordinal < 0)
        {
            return;
        }
        VectorSpec spec = manifest.Schema.Vectors[ordinal];
        if (spec.Quantization.Kind == QuantizationKind.None)
        {
            check.Damage(-1, $"it holds quantized codes, but vector '{spec.Name}' is not quantized");
            return;
        }
        stream.Position = 0;
        try
        {
            // The reader takes the stream and disposes it; the verifier's own dispose afterwards is harmless.
            using var reader = new CheckpointFileReader(Path.GetDirectoryName(stream.Name)!, entry, FileMagic.QuantizedCodes, stream);
            CodesFile.Read(reader, spec, manifest.RecordCount);
        }
        catch (CorruptFileException ex)
        {
            check.Damage(ex.Offset, $"{ex.Problem}; the codes are derived data, retrained from the vectors at the next open");
        }
    }
}
