namespace VectLite.Records;

/// <summary>
/// Sorted arrays of record ids: one run of an <see cref="OrderedKeyIndex"/>, and the two operations on runs, finding
/// where a scroll resumes and merging two runs into one.
/// </summary>
internal static class IdRun
{
    /// <summary>
    /// The index of the first id in <paramref name="run"/> after <paramref name="after"/>, or at or after it when
    /// <paramref name="inclusive"/> (all of them for null).
    /// </summary>
    public static int Seek(RecordId[] run, RecordId? after, bool inclusive)
    {
        if (after is not { } key)
        {
            return 0;
        }
        int lo = 0, hi = run.Length; // the answer lies in [lo, hi]
        while (lo < hi)
        {
            int mid = (int)((uint)(lo + hi) >> 1);
            int order = run[mid].CompareTo(key);
            if (order < 0 || (order == 0 && !inclusive))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>One sorted run holding the ids of two sorted runs (they share no id: each key starts one row only).</summary>
    public static RecordId[] Merge(RecordId[] a, RecordId[] b)
    {
        var merged = new RecordId[a.Length + b.Length];
        int i = 0, j = 0, k = 0;
        while (i < a.Length && j < b.Length)
        {
            merged[k++] = a[i].CompareTo(b[j]) <= 0 ? a[i++] : b[j++];
        }
        while (i < a.Length)
        {
            merged[k++] = a[i++];
        }
        while (j < b.Length)
        {
            merged[k++] = b[j++];
        }
        return merged;
    }
}
