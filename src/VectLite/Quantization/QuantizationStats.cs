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
        if (codes is null)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{options.Kind}: untrained, {liveRecords} of {QuantizationOptions.MinTrainingVectors} vectors needed; searches use float32");
        }
        double clipped = codes.EncodedValues == 0 ? 0 : (double)codes.ClippedValues / codes.EncodedValues;
        return string.Create(CultureInfo.InvariantCulture,
            $"{options.Kind}: trained ({codes.Origin}), {codes.EncodedRows} rows encoded, {clipped * 100:0.00}% of values clipped since training");
    }
}
