namespace Arq.Protocol;

/// <summary>arq stores every time as integer Unix milliseconds (docs/protocol.md §16).</summary>
internal static class UnixTime
{
    public static long Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    private static readonly long MinMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    /// <summary>The time, with one far outside DateTimeOffset's years 1–9999 (a Python producer's <c>et=2**62</c>)
    /// shown as the nearest it can hold: a time read from Redis is for display, and must not fail the job.</summary>
    public static DateTimeOffset FromMilliseconds(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(ms, MinMs, MaxMs));

    /// <summary>A sorted-set score as Unix milliseconds. Redis writes scores as doubles, infinities as "inf" and
    /// "-inf" (a Python producer's <c>float('-inf')</c> for "run first"); those and any score past a long's range
    /// become the nearest time there is, so that the job runs rather than the claim failing for every job.</summary>
    public static long FromScore(string score) => FromScore(score switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(score, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <inheritdoc cref="FromScore(string)"/>
    public static long FromScore(double score) => double.IsNaN(score) ? 0 : (long)Math.Clamp(score, MinMs, MaxMs);
}
