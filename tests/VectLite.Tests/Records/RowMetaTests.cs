using System.Runtime.CompilerServices;
using VectLite.Records;

namespace VectLite.Tests.Records;

/// <summary>The per-row metadata's size (40 bytes, every row pays it) and the flag packed beside the namespace.</summary>
public sealed class RowMetaTests
{
    [Fact]
    public void A_row_is_40_bytes()
    {
        // The id 16 + the payload element 16 + the namespace and the previous row 4 + 4. A bool of its own would make
        // it 48, and so would the expiry (kept in a column of its own).
        Assert.Equal(40, Unsafe.SizeOf<RowMeta>());
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(0, true)]
    [InlineData(5, true)]
    [InlineData(5, false)]
    [InlineData(int.MaxValue, true)]
    [InlineData(int.MaxValue, false)]
    public void The_namespace_and_the_shared_vectors_flag_do_not_disturb_each_other(int namespaceId, bool shares)
    {
        var meta = new RowMeta { NamespaceId = namespaceId, SharesVectorsWithPrevious = shares, PreviousRow = -1 };
        Assert.Equal(namespaceId, meta.NamespaceId);
        Assert.Equal(shares, meta.SharesVectorsWithPrevious);

        var reversed = new RowMeta { SharesVectorsWithPrevious = shares, NamespaceId = namespaceId };
        Assert.Equal(namespaceId, reversed.NamespaceId);
        Assert.Equal(shares, reversed.SharesVectorsWithPrevious);
        Assert.Equal(-1, meta.PreviousRow);
    }
}
