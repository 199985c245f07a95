namespace VectLite;

/// <summary>
/// The kind of a payload index on one field. An index lets a filter on that field find its candidate records
/// without reading every payload; which operators it serves depends on the kind.
/// </summary>
/// <remarks>
/// Each kind indexes only the JSON values of its own type found at the field (array elements included); values of
/// other types are skipped, and conditions whose operands have another type are answered by scanning.
/// A field has at most one index.
/// </remarks>
public enum PayloadIndexKind
{
    /// <summary>Indexes strings. Serves <c>$eq</c> and <c>$in</c> with string operands, and <c>$contains</c> with a string operand.</summary>
    Keyword = 0,

    /// <summary>Indexes numbers. Serves <c>$eq</c>, <c>$in</c>, <c>$contains</c>, <c>$gt</c>, <c>$gte</c>, <c>$lt</c> and <c>$lte</c> with number operands.</summary>
    Numeric = 1,

    /// <summary>Indexes <c>true</c> and <c>false</c>. Serves <c>$eq</c>, <c>$in</c> and <c>$contains</c> with boolean operands.</summary>
    Bool = 2,
}
