namespace VectLite;

/// <summary>A collection, vector or field name breaks the naming rules (see the message for which rule).</summary>
public sealed class InvalidNameException : VectLiteException
{
    /// <summary>Creates the exception; <paramref name="reason"/> says which rule the name breaks.</summary>
    public InvalidNameException(string kind, string name, string reason)
        : base(VectLiteErrorCode.InvalidName, $"Invalid {kind} name '{name}': {reason}.")
    {
        Name = name;
    }

    /// <summary>The rejected name.</summary>
    public string Name { get; }
}
