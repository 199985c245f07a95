using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using VectLite.Indexing;

namespace VectLite.Quantization;

/// <summary>
/// A named vector's codes decoded back to vectors, for building its graph without reading the float32 vectors
/// (<see cref="GraphBuildVectors"/>): SQ8 as <c>min + code * step</c>, float16 widened, PQ as its centroids, binary as
/// <c>mean + scale * signs</c>. The graph then links rows by their decoded distances, the space its walks score in.
/// </summary>
/// <remarks>
/// RaBitQ has no decoder here: its codes live in a rotated space whose inverse costs a matrix product per row (dimension
/// squared), more than the disk read it would save for small dimensions; a graph of a RaBitQ vector is built on the
/// float32 vectors. Safe for many insert threads: each call reads the store's current chunks and writes only its
/// destination.
/// </remarks>
internal sealed class DecodedCodeVectors : GraphBuildVectors
{
    private readonly VectorCodec _codec;
    private readonly CodeStore _store;

    private DecodedCodeVectors(QuantizedCodes codes)
    {
        _codec = codes.Codec;
        _store = codes.Store;
    }

    /// <summary>The decoded vectors of <paramref name="codes"/>, or null when there are no codes yet or the kind has no decoder (RaBitQ).</summary>
    internal static DecodedCodeVectors? For(QuantizedCodes? codes) =>
        codes is null || codes.Codec.Kind is QuantizationKind.RaBitQ or QuantizationKind.None ? null : new DecodedCodeVectors(codes);

    /// <inheritdoc/>
    internal override int Dimension => _codec.Dimension;

    /// <inheritdoc/>
    internal override void Decode(int row, Span<float> destination)
    {
        ReadOnlySpan<byte> code = _store.GetView().Get(row);
        int dimension = _codec.Dimension;
        destination = destination[..dimension];
        switch (_codec.Kind)
        {
            case QuantizationKind.Sq8:
                // min + code * step (the codes' squared norm after them is not needed): two vectorised passes.
                TensorPrimitives.ConvertChecked<byte, float>(code[..dimension], destination);
                TensorPrimitives.FusedMultiplyAdd(destination, _codec.Step, _codec.Min, destination);
                break;
            case QuantizationKind.Float16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(code)[..dimension], destination);
                break;
            case QuantizationKind.Pq:
                _codec.Pq!.Decode(code, destination);
                break;
            default:
                // Binary: x - mean ~ scale * signs (the scale after the bits; see VectorCodec.Encode).
                float scale = MemoryMarshal.Read<float>(code[_codec.BitBytes..]);
                ReadOnlySpan<float> mean = _codec.Mean;
                for (int d = 0; d < dimension; d++)
                {
                    destination[d] = mean[d] + ((code[d >> 3] & (1 << (d & 7))) != 0 ? scale : -scale);
                }
                break;
        }
    }

    /// <inheritdoc/>
    internal override void Prefetch(int row) => _store.GetView().Prefetch(row);
}
