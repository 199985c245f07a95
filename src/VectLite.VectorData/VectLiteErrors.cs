using Microsoft.Extensions.VectorData;

namespace VectLite.VectorData;

/// <summary>
/// Turns the engine's errors into the <see cref="VectorStoreException"/> that MEVD callers catch, keeping the
/// engine's exception (and its <see cref="VectLiteException.Code"/>) as the inner exception.
/// </summary>
/// <remarks>
/// Only <see cref="VectLiteException"/> is wrapped: argument errors, <see cref="NotSupportedException"/> and
/// <see cref="ObjectDisposedException"/> are programming errors and pass through unchanged, as MEVD specifies.
/// </remarks>
internal static class VectLiteErrors
{
    public static T Run<T>(string? storeName, string? collectionName, string operation, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (VectLiteException ex)
        {
            throw Wrap(storeName, collectionName, operation, ex.Message, ex);
        }
    }

    public static void Run(string? storeName, string? collectionName, string operation, Action action) =>
        Run(storeName, collectionName, operation, () =>
        {
            action();
            return true;
        });

    public static VectorStoreException Wrap(string? storeName, string? collectionName, string operation, string message, Exception? inner = null) =>
        new(message, inner)
        {
            VectorStoreSystemName = VectLiteConstants.VectorStoreSystemName,
            VectorStoreName = storeName,
            CollectionName = collectionName,
            OperationName = operation,
        };
}
