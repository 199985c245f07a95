using System.Security.Cryptography;

namespace VectLite.Cli.Tests;

/// <summary>The files under a directory and a hash of each: equal fingerprints mean nothing was created, changed or removed.</summary>
internal static class DirectoryFingerprint
{
    public static SortedDictionary<string, string> Of(string directory)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return result;
        }
        foreach (string entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(directory, entry);
            result[relative] = File.Exists(entry) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry))) : "(directory)";
        }
        return result;
    }
}
