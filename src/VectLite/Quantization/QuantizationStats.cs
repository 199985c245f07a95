using System.Globalization;

namespace VectLite.Quantization;

/// <summary>Words for <see cref="VectorIndexStats.Quantization"/>.</summary>
internal static class QuantizationStats
{
    /// <summary>Describes a named vector's codes for stats: kind, trained or not (and why not), origin and drift.</summary>
    internal static string Describe(QuantizationOptions options, QuantizedCodes? codes, long liveRecords)
    {
        if (options.Kind == QuantizationKind.None)
        {
            return "none";
        }
        if (codes is null && options.Kind == QuantizationKind.Float16)
        {
            return "Float16: no rows encoded yet; searches use float32"; // no training: codes start with the first indexed row
        }
        if (codes is null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{options.Kind}: untrained, {liveRecords} of {QuantizationOptions.MinTrainingVectors} vectors needed; searches use float32");
        }
        if (codes.Codec.Pq is { } pq)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Pq: trained ({codes.Origin}), {pq.Subvectors} sub-vectors of {pq.SubDimension} x {QuantizationOptions.PqCentroids} centroids, {codes.EncodedRows} rows encoded, quantization error since training {codes.ErrorRatio:0.00}x the held-out sample's (retrain above {QuantizationOptions.PqRetrainErrorRatio}x)");
        }
        double clipped = codes.EncodedValues == 0 ? 0 : (double)codes.ClippedValues / codes.EncodedValues;
        if (codes.Codec.Kind == QuantizationKind.Float16)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Float16: encoded (no training), {codes.EncodedRows} rows encoded, {clipped * 100:0.00}% of values clamped to the half range");
        }
        if (codes.Codec.Rotation is { } rotation)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"RaBitQ: trained ({codes.Origin}), {codes.EncodedRows} rows encoded, {rotation.PaddedDimension} rotated bits each, {clipped * 100:0.00}% of values clipped since training");
        }
        return string.Create(CultureInfo.InvariantCulture,
            $"{options.Kind}: trained ({codes.Origin}), {codes.EncodedRows} rows encoded, {clipped * 100:0.00}% of values clipped since training");
    }
}
