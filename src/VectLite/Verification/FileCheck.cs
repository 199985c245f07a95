namespace VectLite.Verification;

/// <summary>The findings for one file, collected while it is checked, then frozen into a <see cref="VerifiedFile"/>.</summary>
internal sealed class FileCheck(string path, VerifiedFileKind kind)
{
    private readonly List<VerifyFinding> _findings = [];

    public string Path { get; } = path;

    public VerifiedFileKind Kind { get; } = kind;

    /// <summary>The file's length, or -1 while it is unknown (missing, or not opened).</summary>
    public long Length { get; set; } = -1;

    public bool HasFindings => _findings.Count > 0;

    public bool HasDamage => _findings.Exists(f => f.Severity == VerifySeverity.Damage);

    public void Damage(long offset, string description) => _findings.Add(new VerifyFinding(VerifySeverity.Damage, Path, offset, description));

    /// <summary>Records the exception's problem; its file is this one, or the exception names the file when it is another.</summary>
    public void Damage(CorruptFileException ex) =>
        _findings.Add(new VerifyFinding(VerifySeverity.Damage, ex.FilePath, ex.Offset, ex.Problem));

    public void Warning(long offset, string description) => _findings.Add(new VerifyFinding(VerifySeverity.Warning, Path, offset, description));

    public VerifiedFile ToResult() => new(Path, Kind, Length, _findings.ToArray());
}
