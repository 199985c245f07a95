using System.Globalization;

namespace VectLite.Bench;

/// <summary>Number formatting for reports: invariant culture, thousands separators, fixed decimals.</summary>
internal static class Format
{
    /// <summary>"12,345".</summary>
    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"12,345.6" with <paramref name="decimals"/> decimals.</summary>
    public static string Number(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>"5.23x", or with <paramref name="decimals"/> decimals ("0.997x").</summary>
    public static string Ratio(double value, int decimals = 2) => value.ToString("0." + new string('0', decimals), CultureInfo.InvariantCulture) + "x";

    /// <summary>"0.9970".</summary>
    public static string Recall(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    /// <summary>"3.21 s".</summary>
    public static string Seconds(TimeSpan elapsed) => elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    /// <summary>"123.4 ms".</summary>
    public static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>"12.3%" for 0.123.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

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
