namespace VectLite;

/// <summary>A database file is damaged: wrong magic number, unsupported version, checksum mismatch or truncation.</summary>
/// <remarks>VectLite never answers from a file that fails its checks; this exception is raised instead.</remarks>
public sealed class CorruptFileException : VectLiteException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>; <paramref name="offset"/> is where the damage was found, or -1.</summary>
    public CorruptFileException(string filePath, long offset, string problem, Exception? innerException = null)
        : base(VectLiteErrorCode.CorruptFile,
            offset >= 0
                ? $"File '{filePath}' is damaged at byte {offset}: {problem}."
                : $"File '{filePath}' is damaged: {problem}.",
            innerException)
    {
        FilePath = filePath;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>The damaged file.</summary>
    public string FilePath { get; }

    /// <summary>The byte offset where the damage was found, or -1 when it concerns the whole file.</summary>
    public long Offset { get; }

    /// <summary>What is wrong with the file, without its name or offset (the message states all three).</summary>
    public string Problem { get; }
}
