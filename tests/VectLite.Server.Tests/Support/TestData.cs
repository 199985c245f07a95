using System.Globalization;
using System.Text;

namespace VectLite.Server.Tests.Support;

/// <summary>Seeded vectors and the brute-force scores the tests expect, computed in double precision here, not by the engine.</summary>
internal static class TestData
{
    public static float[][] Vectors(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    public static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    public static double Dot(float[] a, float[] b) => a.Select((x, i) => (double)x * b[i]).Sum();

    public static double Euclid(float[] a, float[] b) => Math.Sqrt(a.Select((x, i) => ((double)x - b[i]) * ((double)x - b[i])).Sum());

    public static double Manhattan(float[] a, float[] b) => a.Select((x, i) => Math.Abs((double)x - b[i])).Sum();

    public static string Json(float[] vector) => "[" + string.Join(",", vector.Select(x => x.ToString("R", CultureInfo.InvariantCulture))) + "]";

    /// <summary>An upsert body in the list form: ids 1..n, payload {"n": i, "parity": "even"|"odd"}.</summary>
    public static string Points(float[][] vectors)
    {
        var json = new StringBuilder("""{"points":[""");
        for (int i = 0; i < vectors.Length; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$$"""{"id":{{{i + 1}}},"vector":{{{Json(vectors[i])}}},"payload":{"n":{{{i}}},"parity":"{{{(i % 2 == 0 ? "even" : "odd")}}}"}}""");
        }
        return json.Append("]}").ToString();
    }
}
