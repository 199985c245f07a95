using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace VectLite.Bench;

/// <summary>
/// USearch for .NET (NuGet Cloud.Unum.USearch 2.26.6) as an in-process peer: an HNSW index over L2 on f32, f16 or i8,
/// built with the same M and ef_construction, then searched one query at a time on one thread per ef.
/// </summary>
/// <remarks>
/// <para>The managed wrapper fixes ef (expansion_search) at construction and has no memory figure; the sweep and the
/// bytes come from the C API it wraps (<c>usearch_change_expansion_search</c>, <c>usearch_memory_usage</c>,
/// <c>usearch_reserve</c>, <c>usearch_change_threads_add</c>), called on the wrapper's native handle.</para>
/// <para>Vectors are scaled by 1 / max |component| before they reach USearch: its i8 kind casts a float by
/// <c>x * 127</c> clamped to [-127, 127], which assumes components in [-1, 1] (cosine-style data); fashion-mnist's
/// pixels run to 255. A uniform scale keeps the L2 order, so recall is unaffected for f32 and f16.</para>
/// </remarks>
internal sealed class USearchPeer : IDisposable
{
    private const string Library = "libusearch_c";
    private readonly USearchIndex _index;
    private readonly IntPtr _handle;
    private readonly float _scale;

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_change_expansion_search(IntPtr index, UIntPtr expansion, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern UIntPtr usearch_memory_usage(IntPtr index, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_reserve(IntPtr index, UIntPtr capacity, out IntPtr error);

    [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
    private static extern void usearch_change_threads_add(IntPtr index, UIntPtr threads, out IntPtr error);

    private USearchPeer(ScalarKind kind, int dimension, int m, int efConstruction, float scale)
    {
        _index = new USearchIndex(MetricKind.L2sq, kind, (ulong)dimension, (ulong)m, (ulong)efConstruction, 64, false);
        _handle = (IntPtr)typeof(USearchIndex).GetField("_index", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(_index)!;
        _scale = scale;
    }

    /// <summary>What the peer is called in reports: "USearch f32", "USearch f16", "USearch i8".</summary>
    public static string Name(ScalarKind kind) => "USearch " + kind switch { ScalarKind.Float16 => "f16", ScalarKind.Int8 => "i8", _ => "f32" };

    /// <summary>Builds the index over <paramref name="vectors"/> on <paramref name="threads"/> threads (keys = row numbers).</summary>
    public static (USearchPeer Peer, TimeSpan Build) Build(ScalarKind kind, TexmexFile<float> vectors, int m, int efConstruction, int threads)
    {
        float max = 0;
        foreach (float x in vectors.Data)
        {
            max = Math.Max(max, Math.Abs(x));
        }
        var peer = new USearchPeer(kind, vectors.Dimension, m, efConstruction, max > 0 ? 1f / max : 1f);
        var watch = Stopwatch.StartNew();
        Check(() => { usearch_reserve(peer._handle, (UIntPtr)vectors.Count, out IntPtr e); return e; });
        Check(() => { usearch_change_threads_add(peer._handle, (UIntPtr)threads, out IntPtr e); return e; });
        Parallel.For(0, vectors.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => peer._index.Add((ulong)i, peer.Scaled(vectors.Row(i).Span)));
        return (peer, watch.Elapsed);
    }

    /// <summary>Bytes the native index holds (graph and vectors in its scalar kind).</summary>
    public long MemoryBytes => (long)Check(() => { UIntPtr bytes = usearch_memory_usage(_handle, out IntPtr e); return (e, bytes); });

    /// <summary>Recall@k against <paramref name="truth"/> and single-thread q/s at <paramref name="ef"/>.</summary>
    public (double Recall, double Qps) Measure(TexmexFile<float> queries, TexmexFile<int> truth, int ef, int k)
    {
        Check(() => { usearch_change_expansion_search(_handle, (UIntPtr)ef, out IntPtr e); return e; });
        float[][] scaled = [.. Enumerable.Range(0, queries.Count).Select(q => Scaled(queries.Row(q).Span))];
        int hits = 0;
        var watch = Stopwatch.StartNew();
        for (int q = 0; q < scaled.Length; q++)
        {
            int found = _index.Search(scaled[q], k, out ulong[] keys, out _);
            ReadOnlySpan<int> expected = truth.Row(q).Span[..k];
            for (int i = 0; i < found; i++)
            {
                if (expected.Contains((int)keys[i]))
                {
                    hits++;
                }
            }
        }
        return ((double)hits / (queries.Count * k), queries.Count / watch.Elapsed.TotalSeconds);
    }

    public void Dispose() => _index.Dispose();

    private float[] Scaled(ReadOnlySpan<float> v)
    {
        var s = new float[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            s[i] = v[i] * _scale;
        }
        return s;
    }

    private static void Check(Func<IntPtr> call)
    {
        IntPtr error = call();
        if (error != IntPtr.Zero)
        {
            throw new InvalidOperationException("USearch: " + Marshal.PtrToStringAnsi(error));
        }
    }

    private static UIntPtr Check(Func<(IntPtr Error, UIntPtr Value)> call)
    {
        (IntPtr error, UIntPtr value) = call();
        if (error != IntPtr.Zero)
        {
            throw new InvalidOperationException("USearch: " + Marshal.PtrToStringAnsi(error));
        }
        return value;
    }
}
