namespace VectLite;

/// <summary>One file <see cref="Database.Verify(string, CancellationToken)"/> checked, and what it found in it.</summary>
public sealed class VerifiedFile
{
    internal VerifiedFile(string path, VerifiedFileKind kind, long length, IReadOnlyList<VerifyFinding> findings)
    {
        Path = path;
        Kind = kind;
        Length = length;
        Findings = findings;
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>What the file is.</summary>
    public VerifiedFileKind Kind { get; }

    /// <summary>The file's length in bytes, or -1 when it is missing or could not be opened.</summary>
    public long Length { get; }

    /// <summary>The problems found in this file, damage and warnings, in the order found; empty when it is intact.</summary>
    public IReadOnlyList<VerifyFinding> Findings { get; }

    /// <summary>True when no finding is <see cref="VerifySeverity.Damage"/> (warnings allowed).</summary>
    public bool IsIntact => Findings.All(f => f.Severity != VerifySeverity.Damage);
}
