namespace VectLite.Filtering;

/// <summary>The comparison a <see cref="FieldCondition"/> applies to a field.</summary>
internal enum FilterOperator
{
    /// <summary><c>$eq</c>: some value equals the operand (a missing field equals <c>null</c>).</summary>
    Eq,

    /// <summary><c>$ne</c>: not <c>$eq</c>.</summary>
    Ne,

    /// <summary><c>$gt</c>: some value is greater than the operand.</summary>
    Gt,

    /// <summary><c>$gte</c>: some value is greater than or equal to the operand.</summary>
    Gte,

    /// <summary><c>$lt</c>: some value is less than the operand.</summary>
    Lt,

    /// <summary><c>$lte</c>: some value is less than or equal to the operand.</summary>
    Lte,

    /// <summary><c>$in</c>: some value equals one of the operands.</summary>
    In,

    /// <summary><c>$nin</c>: not <c>$in</c>.</summary>
    Nin,

    /// <summary><c>$contains</c>: some value is an array holding the operand, or a string holding it as a substring.</summary>
    Contains,

    /// <summary><c>$exists</c>: whether any value resolves.</summary>
    Exists,
}
