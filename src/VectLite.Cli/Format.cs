using System.Globalization;

namespace VectLite.Cli;

internal static class Format
{
    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        < 1024L * 1024 * 1024 => (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        _ => (bytes / (1024.0 * 1024 * 1024)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
    };

    public static string Millis(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "0.00" : "N0", CultureInfo.InvariantCulture) + " ms";

    /// <summary>A duration for people: "45 s", "3 min 20 s", "2 h 05 min".</summary>
    public static string Duration(TimeSpan t) => t.TotalSeconds switch
    {
        < 60 => $"{Math.Ceiling(t.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s",
        < 3600 => $"{(int)t.TotalMinutes} min {t.Seconds:00} s",
        _ => $"{(int)t.TotalHours} h {t.Minutes:00} min",
    };
}
