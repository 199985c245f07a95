namespace VectLite;

/// <summary>A record is malformed: an empty id, a payload that is not a JSON object, a vector name the schema lacks.</summary>
public sealed class InvalidRecordException : VectLiteException
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public InvalidRecordException(string message)
        : base(VectLiteErrorCode.InvalidRecord, message)
    {
    }
}
