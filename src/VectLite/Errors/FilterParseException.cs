namespace VectLite;

/// <summary>A filter is malformed: bad JSON, an unknown operator, an operand of the wrong type.</summary>
public sealed class FilterParseException : VectLiteException
{
    /// <summary>Creates the exception; <paramref name="location"/> is the JSON path of the bad part ("$.price.$gt").</summary>
    public FilterParseException(string location, string message, Exception? innerException = null)
        : base(VectLiteErrorCode.InvalidFilter, $"Invalid filter at {location}: {message}", innerException)
    {
        Location = location;
    }

    /// <summary>Where in the filter the problem is, as a JSON path such as <c>$.price.$gt</c>.</summary>
    public string Location { get; }
}
