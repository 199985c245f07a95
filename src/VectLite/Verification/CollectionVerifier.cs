using VectLite.Records;
using VectLite.Storage;

namespace VectLite.Verification;

/// <summary>
/// Checks every file of one collection directory without changing anything: the checkpoint manifest, each data file
/// it lists (records, vectors, HNSW graphs), the log, and anything else in the directory.
/// </summary>
/// <remarks>
/// How it stays correct beside a writer that checkpoints:
/// <list type="number">
/// <item>Read the checkpoint manifest, then open every file it lists before reading any. A checkpoint deletes the
/// previous generation's files only after committing a new manifest, and an open file stays readable after it is
/// deleted, so once all are open they are one consistent generation.</item>
/// <item>A listed file that is missing, or a log that looks torn or damaged, may be a checkpoint that committed in
/// between (it deletes the old files and empties the log): if the manifest's generation changed by the end of the
/// attempt, the attempt is discarded and the collection checked again. Only problems seen with the generation
/// unchanged are reported. (Opening every file first only makes such retries rare; this check is what makes the
/// report right.)</item>
/// </list>
/// Each retry needs a checkpoint to have committed during the attempt, so the loop ends as soon as the writer pauses.
/// </remarks>
internal static class CollectionVerifier
{
    public static CollectionVerifyReport Verify(string directory, string name, CancellationToken cancellationToken)
    {
        long retriedGeneration = long.MinValue;
        while (true)
        {
            CollectionVerifyReport? report = TryVerify(directory, name, cancellationToken);
            if (report is null)
            {
                continue;
            }
            // A writer empties the log in place just after its checkpoint's manifest commits: an attempt that read
            // the new manifest and then the log while it was emptied and refilled sees frames that look torn or out of
            // sequence, with the generation unchanged. One more attempt for that generation tells that race from
            // damage (another emptying needs another checkpoint, which changes the generation).
            if (report.CheckpointGeneration != retriedGeneration
                && report.Files.Any(f => f.Kind == VerifiedFileKind.WriteAheadLog && f.Findings.Count > 0))
            {
                retriedGeneration = report.CheckpointGeneration;
                continue;
            }
            return report;
        }
    }

    /// <summary>One attempt; null when a checkpoint committed while it ran and it found problems that may be due to that.</summary>
    private static CollectionVerifyReport? TryVerify(string directory, string name, CancellationToken cancellationToken)
    {
        var checks = new List<FileCheck>();
        var manifestCheck = new FileCheck(Path.Combine(directory, CheckpointManifest.FileName), VerifiedFileKind.CheckpointManifest);
        checks.Add(manifestCheck);
        CheckpointManifest? manifest = null;
        try
        {
            manifest = CheckpointManifest.Read(directory);
        }
        catch (CorruptFileException ex)
        {
            manifestCheck.Damage(ex);
        }
        manifestCheck.Length = LengthOrUnknown(manifestCheck.Path);

        var opened = new List<(FileCheck Check, FileStream? Stream, CheckpointFile Entry)>();
        try
        {
            if (manifest is not null)
            {
                CheckFileList(manifest, manifestCheck);
                foreach (CheckpointFile entry in manifest.DataFiles)
                {
                    var check = new FileCheck(Path.Combine(directory, entry.Name), KindOf(entry.Name, manifest));
                    checks.Add(check);
                    opened.Add((check, Open(check), entry));
                }
                foreach ((FileCheck check, FileStream? stream, CheckpointFile entry) in opened)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (stream is not null)
                    {
                        CheckDataFile(stream, entry, manifest, check, cancellationToken);
                    }
                }
            }

            var logCheck = new FileCheck(Path.Combine(directory, CollectionEngine.WalFileName), VerifiedFileKind.WriteAheadLog);
            checks.Add(logCheck);
            int logBatches = LogVerifier.Check(logCheck.Path, manifest, logCheck);

            // A checkpoint that empties the log while it is read makes its frames look torn or out of sequence.
            if (manifest is not null && (checks.Exists(c => c.HasDamage) || logCheck.HasFindings) && GenerationChanged(directory, manifest))
            {
                return null;
            }
            CheckOtherFiles(directory, manifest, checks);
            return new CollectionVerifyReport(name, directory, checks.ConvertAll(c => c.ToResult()),
                manifest?.Generation ?? -1, manifest?.RecordCount ?? -1, logBatches);
        }
        finally
        {
            foreach ((_, FileStream? stream, _) in opened)
            {
                stream?.Dispose();
            }
        }
    }

    /// <summary>The manifest must list the records file, one vectors file per named vector, then optional graphs (as the loader requires).</summary>
    private static void CheckFileList(CheckpointManifest manifest, FileCheck manifestCheck)
    {
        int vectors = manifest.Schema.Vectors.Count;
        int dataFiles = manifest.Files.Count - manifest.TextIndexes.Count; // the text index files come last (checked on reading the manifest)
        int most = CollectionFiles.MostDataFiles(manifest);
        if (dataFiles < 1 + vectors || dataFiles > most)
        {
            manifestCheck.Damage(-1, $"it lists {dataFiles} data files besides the text indexes'; a schema with {vectors} vectors and {manifest.MultiVectorTokens.Count} token graphs needs {1 + vectors} to {most}");
            return;
        }
        if (manifest.Files[0].Name != CheckpointManifest.RecordsFileName(manifest.Generation))
        {
            manifestCheck.Damage(-1, $"its first data file is '{manifest.Files[0].Name}', not the records file of generation {manifest.Generation}");
        }
        for (int v = 0; v < vectors; v++)
        {
            if (manifest.Files[1 + v].Name != CheckpointManifest.VectorsFileName(manifest.Generation, v))
            {
                manifestCheck.Damage(-1, $"data file {1 + v} is '{manifest.Files[1 + v].Name}', not the vectors file of vector {v} of generation {manifest.Generation}");
            }
        }
    }

    private static void CheckDataFile(FileStream stream, CheckpointFile entry, CheckpointManifest manifest, FileCheck check, CancellationToken cancellationToken)
    {
        try
        {
            switch (check.Kind)
            {
                case VerifiedFileKind.Records:
                    DataFileVerifier.CheckAgainstManifest(stream, entry, check, cancellationToken);
                    DataFileVerifier.CheckRecords(stream, manifest.RecordCount, check, cancellationToken);
                    break;
                case VerifiedFileKind.Vectors:
                    DataFileVerifier.CheckAgainstManifest(stream, entry, check, cancellationToken);
                    VectorSegment segment = SegmentOf(entry.Name, manifest, out int ordinal);
                    DataFileVerifier.CheckVectors(stream, manifest.Schema.Vectors[ordinal].Dimension, segment.Rows, check);
                    break;
                case VerifiedFileKind.HnswGraph:
                    // The manifest's whole-file checksum first: the graph's own checksum does not cover a file swapped
                    // for another intact graph file, the manifest's does.
                    DataFileVerifier.CheckAgainstManifest(stream, entry, check, cancellationToken);
                    if (VectorOrdinal(entry.Name, manifest, CheckpointManifest.GraphFileName) is var vector and >= 0)
                    {
                        GraphFileVerifier.Check(stream, manifest, vector, check);
                    }
                    else
                    {
                        GraphFileVerifier.CheckTokenGraph(stream, manifest, TokenGraphOrdinal(entry.Name, manifest), check);
                    }
                    break;
                case VerifiedFileKind.ValueGraphs:
                    if (DataFileVerifier.CheckAgainstManifest(stream, entry, check, cancellationToken))
                    {
                        GraphFileVerifier.CheckValueGraphs(stream, manifest, check);
                    }
                    break;
                case VerifiedFileKind.TextIndex:
                    DataFileVerifier.CheckAgainstManifest(stream, entry, check, cancellationToken);
                    CheckTextIndexFile(stream, manifest, check);
                    break;
                case VerifiedFileKind.QuantizedCodes:
                    if (DataFileVerifier.CheckAgainstManifest(stream, entry, check, cancellationToken))
                    {
                        CodesFileVerifier.Check(stream, entry, manifest, VectorOrdinal(entry.Name, manifest, CheckpointManifest.CodesFileName), check);
                    }
                    break;
                default:
                    DataFileVerifier.CheckAgainstManifest(stream, entry, check, cancellationToken);
                    check.Warning(-1, "the checkpoint manifest lists this file but no loader reads it");
                    break;
            }
        }
        catch (IOException ex)
        {
            check.Damage(-1, $"it could not be read: {ex.Message}");
        }
    }

    /// <summary>Files in the directory that the manifest does not list: leftovers of an interrupted checkpoint, or strangers.</summary>
    private static void CheckOtherFiles(string directory, CheckpointManifest? manifest, List<FileCheck> checks)
    {
        var known = new HashSet<string>(checks.Select(c => Path.GetFileName(c.Path)), StringComparer.Ordinal);
        foreach (string path in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            string fileName = Path.GetFileName(path);
            if (known.Contains(fileName))
            {
                continue;
            }
            var check = new FileCheck(path, VerifiedFileKind.Other) { Length = LengthOrUnknown(path) };
            if (manifest is null && fileName.StartsWith('g'))
            {
                check.Warning(-1, "not checked: the checkpoint manifest, which says what this file must hold, is unreadable");
            }
            else if (fileName.EndsWith(DurableFile.TempSuffix, StringComparison.Ordinal) || fileName.StartsWith('g'))
            {
                check.Warning(-1, "not part of the current checkpoint: left by an interrupted or running checkpoint; the next writer open deletes it");
            }
            else
            {
                check.Warning(-1, "not a VectLite file: ignored");
            }
            checks.Add(check);
        }
    }

    /// <summary>The file's length, or -1 for a folder or a file deleted since it was listed (a checkpoint's clean-up).</summary>
    internal static long LengthOrUnknown(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static FileStream? Open(FileCheck check)
    {
        try
        {
            // FileShare.Delete: a writer's checkpoint may delete the file while it is checked; it stays readable.
            var stream = new FileStream(check.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1 << 16);
            check.Length = stream.Length;
            return stream;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            check.Damage(-1, "the file the checkpoint manifest lists is missing");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            check.Damage(-1, $"it could not be opened: {ex.Message}");
        }
        return null;
    }

    /// <summary>A text index file: header, stamp, row count and its own checksum (<see cref="Text.TextIndexFile.Check"/>).</summary>
    private static void CheckTextIndexFile(FileStream stream, CheckpointManifest manifest, FileCheck check)
    {
        stream.Position = 0;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        try
        {
            Text.TextIndexFile.Check(check.Path, copy.GetBuffer().AsSpan(0, (int)copy.Length), manifest.RecordCount, manifest.GraphStamp);
        }
        catch (CorruptFileException ex)
        {
            check.Damage(ex.Offset, ex.Problem);
        }
    }

    private static VerifiedFileKind KindOf(string fileName, CheckpointManifest manifest)
    {
        for (int t = 0; t < manifest.TextIndexes.Count; t++)
        {
            if (fileName == CheckpointManifest.TextFileName(manifest.Generation, t))
            {
                return VerifiedFileKind.TextIndex;
            }
        }
        if (fileName == CheckpointManifest.RecordsFileName(manifest.Generation))
        {
            return VerifiedFileKind.Records;
        }
        if (VectorOrdinal(fileName, manifest, CheckpointManifest.VectorsFileName) >= 0 || manifest.EarlierSegments.Any(l => l.Any(g => g.File.Name == fileName)))
        {
            return VerifiedFileKind.Vectors;
        }
        if (fileName == manifest.ValueGraphFile?.Name)
        {
            return VerifiedFileKind.ValueGraphs;
        }
        if (VectorOrdinal(fileName, manifest, CheckpointManifest.CodesFileName) >= 0)
        {
            return VerifiedFileKind.QuantizedCodes;
        }
        return VectorOrdinal(fileName, manifest, CheckpointManifest.GraphFileName) >= 0 || TokenGraphOrdinal(fileName, manifest) >= 0
            ? VerifiedFileKind.HnswGraph : VerifiedFileKind.Other;
    }

    /// <summary>The ordinal of the multi-vector space whose token graph file is <paramref name="fileName"/>, or -1.</summary>
    private static int TokenGraphOrdinal(string fileName, CheckpointManifest manifest)
    {
        for (int m = 0; m < manifest.MultiVectorTokens.Count; m++)
        {
            if (fileName == CheckpointManifest.TokenGraphFileName(manifest.Generation, m))
            {
                return m;
            }
        }
        return -1;
    }

    /// <summary>The segment the vectors file <paramref name="fileName"/> is (this generation's or an earlier one's), and its vector.</summary>
    private static VectorSegment SegmentOf(string fileName, CheckpointManifest manifest, out int vector)
    {
        for (vector = 0; vector < manifest.Schema.Vectors.Count; vector++)
        {
            foreach (VectorSegment segment in manifest.SegmentsOf(vector))
            {
                if (segment.File.Name == fileName)
                {
                    return segment;
                }
            }
        }
        throw new InvalidOperationException($"'{fileName}' is not a vectors file of the checkpoint."); // KindOf said it is
    }

    /// <summary>The ordinal of the named vector whose file (by <paramref name="nameOf"/>) is <paramref name="fileName"/>, or -1.</summary>
    private static int VectorOrdinal(string fileName, CheckpointManifest manifest, Func<long, int, string> nameOf)
    {
        for (int v = 0; v < manifest.Schema.Vectors.Count; v++)
        {
            if (fileName == nameOf(manifest.Generation, v))
            {
                return v;
            }
        }
        return -1;
    }

    private static bool GenerationChanged(string directory, CheckpointManifest manifest)
    {
        try
        {
            return CheckpointManifest.Read(directory).Generation != manifest.Generation;
        }
        catch (CorruptFileException)
        {
            return false;
        }
    }
}
