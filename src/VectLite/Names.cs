namespace VectLite;

/// <summary>
/// The rule for collection and vector names: 1 to 64 characters of ASCII letters, digits, '_', '-' and '.', starting
/// with a letter or digit. A collection name becomes a directory name, so this rule also rules out path traversal,
/// separators, reserved device names' punctuation and names that differ between file systems.
/// </summary>
internal static class Names
{
    public const int MaxLength = 64;

    public static void Validate(string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
        {
            throw new InvalidNameException(kind, name, "it is empty");
        }
        if (name.Length > MaxLength)
        {
            throw new InvalidNameException(kind, name, $"it has {name.Length} characters, more than the limit of {MaxLength}");
        }
        if (!char.IsAsciiLetterOrDigit(name[0]))
        {
            throw new InvalidNameException(kind, name, "it must start with an ASCII letter or digit");
        }
        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != '-' && c != '.')
            {
                throw new InvalidNameException(kind, name,
                    c is '/' or '\\' ? "path separators are not allowed" : $"the character '{c}' is not allowed (use letters, digits, '_', '-', '.')");
            }
        }
        if (name.Contains("..", StringComparison.Ordinal))
        {
            throw new InvalidNameException(kind, name, "'..' is not allowed");
        }
    }
}
