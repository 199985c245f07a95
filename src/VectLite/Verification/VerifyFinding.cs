namespace VectLite;

/// <summary>One problem <see cref="Database.Verify(string, CancellationToken)"/> found: which file, where, and what.</summary>
public sealed class VerifyFinding
{
    internal VerifyFinding(VerifySeverity severity, string filePath, long offset, string description)
    {
        Severity = severity;
        FilePath = filePath;
        Offset = offset;
        Description = description;
    }

    /// <summary>Whether this is damage or only a warning.</summary>
    public VerifySeverity Severity { get; }

    /// <summary>The full path of the file (or folder) concerned.</summary>
    public string FilePath { get; }

    /// <summary>The byte offset in the file where the problem was found, or -1 when it concerns the whole file.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, in a sentence without the file name (e.g. "record 12 checksum mismatch").</summary>
    public string Description { get; }

    /// <summary>"damage: PATH at byte N: DESCRIPTION" (or without the byte when <see cref="Offset"/> is -1).</summary>
    public override string ToString() =>
        $"{(Severity == VerifySeverity.Damage ? "damage" : "warning")}: {FilePath}{(Offset >= 0 ? $" at byte {Offset}" : "")}: {Description}";
}
