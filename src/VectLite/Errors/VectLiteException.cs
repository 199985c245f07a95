namespace VectLite;

/// <summary>
/// The base of every error VectLite raises on purpose. <see cref="Code"/> says which kind of problem
/// it is, so callers (and the HTTP server) can react without parsing messages.
/// </summary>
/// <remarks>
/// Argument problems that are plain programming errors (a null argument, a negative top-k) are raised as
/// <see cref="ArgumentException"/> and its subclasses, as the .NET libraries do. Everything about data,
/// files, schema and state is a <see cref="VectLiteException"/>.
/// </remarks>
public class VectLiteException : Exception
{
    /// <summary>Creates an exception with a code and a message that names the problem.</summary>
    public VectLiteException(VectLiteErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>What kind of problem this is.</summary>
    public VectLiteErrorCode Code { get; }
}
