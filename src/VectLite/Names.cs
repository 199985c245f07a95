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
        if (name[^1] == '.')
        {
            throw new InvalidNameException(kind, name, "it must not end with '.' (Windows drops a trailing dot from directory names)");
        }
        if (IsReservedDeviceName(name))
        {
            throw new InvalidNameException(kind, name, "it is a device name Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9), with or without an extension");
        }
    }

    /// <summary>
    /// True for the names Windows maps to devices whatever the extension ("con", "NUL.db", "com1"): a directory by that
    /// name cannot be created there, so a database made on Linux could not be copied to Windows.
    /// </summary>
    private static bool IsReservedDeviceName(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        ReadOnlySpan<char> stem = dot < 0 ? name : name.AsSpan(0, dot);
        if (stem.Length == 3)
        {
            return stem.Equals("CON", StringComparison.OrdinalIgnoreCase) || stem.Equals("PRN", StringComparison.OrdinalIgnoreCase)
                || stem.Equals("AUX", StringComparison.OrdinalIgnoreCase) || stem.Equals("NUL", StringComparison.OrdinalIgnoreCase);
        }
        return stem.Length == 4 && char.IsAsciiDigit(stem[3]) && stem[3] != '0'
            && (stem[..3].Equals("COM", StringComparison.OrdinalIgnoreCase) || stem[..3].Equals("LPT", StringComparison.OrdinalIgnoreCase));
    }
}
