using System.Globalization;

namespace VectLite.Bench;

/// <summary>Number formatting for reports: invariant culture, thousands separators, fixed decimals.</summary>
internal static class Format
{
    /// <summary>"12,345".</summary>
    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"12,345.6" with <paramref name="decimals"/> decimals.</summary>
    public static string Number(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>"5.23x".</summary>
    public static string Ratio(double value) => value.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>"0.9970".</summary>
    public static string Recall(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>"3.21 s".</summary>
    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    /// <summary>"1.5 GiB", "512.0 MiB".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>"PASS" or "FAIL".</summary>
    public static string Verdict(bool pass) => pass ? "PASS" : "FAIL";
}
