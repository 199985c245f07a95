namespace VectLite;

/// <summary>A write was attempted through a database opened with <see cref="DatabaseOptions.ReadOnly"/>.</summary>
public sealed class ReadOnlyDatabaseException : VectLiteException
{
    /// <summary>Creates the exception naming the rejected <paramref name="operation"/>.</summary>
    public ReadOnlyDatabaseException(string operation)
        : base(VectLiteErrorCode.ReadOnly, $"Cannot {operation}: the database was opened read-only.")
    {
    }
}
