namespace Arq.Protocol;

/// <summary>arq stores every time as integer Unix milliseconds (PROTOCOL.md §15).</summary>
internal static class UnixTime
{
    public static long Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();

    public static DateTimeOffset FromMilliseconds(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
