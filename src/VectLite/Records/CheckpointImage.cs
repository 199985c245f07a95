using VectLite.Filtering;
using VectLite.Indexing;

namespace VectLite.Records;

/// <summary>
/// What a checkpoint writes, fixed at one LSN while writes continue: the first <see cref="Rows"/> rows of
/// <see cref="State"/> (all live at <see cref="Lsn"/>, and never changed once written), frozen copies of the graphs,
/// and the schema and payload index definitions as of that LSN.
/// </summary>
/// <param name="State">The state the rows are read from; the image holds a reference on it until released.</param>
/// <param name="Rows">Rows to write: every row of the state at <see cref="Lsn"/>, each live there.</param>
/// <param name="Lsn">The LSN the checkpoint stands for: replay skips the batches up to it.</param>
/// <param name="WalOffset">The log's length at <see cref="Lsn"/>: the frames after it are the batches written since.</param>
/// <param name="Graphs">Each named vector's graph as frozen at <see cref="Lsn"/> (null: none yet).</param>
/// <param name="Schema">The schema.</param>
/// <param name="PayloadIndexes">The payload index definitions at <see cref="Lsn"/>.</param>
internal sealed record CheckpointImage(CollectionState State, int Rows, long Lsn, long WalOffset, HnswGraph?[] Graphs,
    CollectionSchema Schema, IReadOnlyList<(string Field, PayloadIndexKind Kind)> PayloadIndexes)
{
    /// <summary>The text indexes at <see cref="Lsn"/>: each writes its postings for the image's rows.</summary>
    public Text.TextIndex[] TextIndexes { get; init; } = [];

    /// <summary>
    /// Each named vector's checkpoint files that already hold the state's first rows (<see cref="CollectionState.VectorSegments"/>
    /// at <see cref="Lsn"/>): the checkpoint keeps some and writes the rows after them (empty: it writes every row).
    /// </summary>
    public Storage.VectorSegment[][] VectorSegments { get; init; } = [];

    /// <summary>Each named vector's quantized codes at <see cref="Lsn"/> (null: none); only rows below <see cref="Rows"/> are written.</summary>
    public Quantization.QuantizedCodes?[] Codes { get; init; } = [];

    /// <summary>
    /// Each multi-vector space's token graph frozen at <see cref="Lsn"/> (null: not saved, because it did not hold every
    /// token of the image's rows; the next open builds it), and the tokens those rows hold.
    /// </summary>
    public (HnswGraph? Graph, int Tokens)[] TokenGraphs { get; init; } = [];

    /// <summary>
    /// The value graphs frozen at <see cref="Lsn"/> (<see cref="CollectionState.FreezeValueGraphs"/>): each field's
    /// graphs over the image's rows below its mark. Empty: none asked for, no file written.
    /// </summary>
    public Indexing.ValueGraphs.ValueGraphField[] ValueGraphs { get; init; } = [];
}
