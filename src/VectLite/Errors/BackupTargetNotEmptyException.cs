namespace VectLite;

/// <summary>
/// <see cref="Database.Backup"/> was given a target directory that exists and is not empty. A backup writes only into a
/// new or empty directory, so it never overwrites an earlier backup or mixes its files with others.
/// </summary>
public sealed class BackupTargetNotEmptyException : VectLiteException
{
    /// <summary>Creates the exception for <paramref name="targetDirectory"/>.</summary>
    public BackupTargetNotEmptyException(string targetDirectory)
        : base(VectLiteErrorCode.BackupTargetNotEmpty,
            $"Cannot back up into '{targetDirectory}': the directory exists and is not empty. Name a new (or empty) directory; an earlier backup is never overwritten.")
    {
        TargetDirectory = targetDirectory;
    }

    /// <summary>The directory that was refused.</summary>
    public string TargetDirectory { get; }
}
