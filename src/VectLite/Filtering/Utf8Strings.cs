using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace VectLite.Filtering;

/// <summary>Strict UTF-16 to UTF-8 conversion for filter operands and path segments.</summary>
internal static class Utf8Strings
{
    /// <summary>
    /// Encodes <paramref name="text"/> as UTF-8, failing on an unpaired surrogate instead of replacing it with U+FFFD:
    /// a replaced operand would match payload strings that really contain U+FFFD, which the keyword index
    /// (keyed by the original string) would not find.
    /// </summary>
    public static bool TryEncode(string text, [NotNullWhen(true)] out byte[]? utf8)
    {
        int maxLength = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(maxLength);
        try
        {
            OperationStatus status = Utf8.FromUtf16(text, buffer, out _, out int written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                utf8 = null;
                return false;
            }

            utf8 = buffer.AsSpan(0, written).ToArray();
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
