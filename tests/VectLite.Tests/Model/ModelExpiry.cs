namespace VectLite.Tests.Model;

/// <summary>
/// The expiry times the model-based tests use: none, one long past and two far in the future, so that no answer
/// depends on when the test runs.
/// </summary>
internal enum ModelExpiry
{
    None,
    Past,
    FarFuture,
    Max,
}

internal static class ModelExpiryTimes
{
    public static DateTimeOffset? ToTime(this ModelExpiry expiry) => expiry switch
    {
        ModelExpiry.Past => new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero),
        ModelExpiry.FarFuture => new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero),
        ModelExpiry.Max => DateTimeOffset.MaxValue,
        _ => null,
    };

    /// <summary>Visible now: never expires, or expires after the present (every choice but Past).</summary>
    public static bool IsLive(this ModelExpiry expiry) => expiry != ModelExpiry.Past;
}
