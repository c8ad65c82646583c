using System.Globalization;
using System.Text.RegularExpressions;

namespace Arq.Worker;

/// <summary>
/// At most <see cref="Count"/> job starts in any <see cref="Period"/>, counted in Redis by every worker of the queue
/// together: written <c>10/s</c>, <c>100/min</c>, <c>5/10s</c>, <c>1/250ms</c>. A job over the limit stays queued,
/// its try unspent, until a start leaves the window.
/// </summary>
public sealed partial record RateLimit
{
    /// <summary>A limit of <paramref name="count"/> starts in any <paramref name="period"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is not positive, or the period is under a millisecond.</exception>
    public RateLimit(int count, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (period < TimeSpan.FromMilliseconds(1))
            throw new ArgumentOutOfRangeException(nameof(period), period, "A rate limit's period is at least a millisecond.");
        Count = count;
        Period = period;
    }

    /// <summary>How many jobs may start in any one period.</summary>
    public int Count { get; }

    /// <summary>The sliding window the starts are counted in.</summary>
    public TimeSpan Period { get; }

    internal long PeriodMs => (long)Period.TotalMilliseconds;

    /// <summary>Reads <c>count/period</c>, the period a unit (ms, s, min, h, d, or their names) after an optional
    /// number: <c>10/s</c>, <c>100/min</c>, <c>5/10s</c>.</summary>
    /// <exception cref="FormatException">The text is not a rate limit; the message says what is expected.</exception>
    public static RateLimit Parse(string text) =>
        TryParse(text, out var limit) ? limit : throw new FormatException(
            $"'{text}' is not a rate limit: write a positive count of jobs, a slash and a period, as in 10/s, 100/min, 5/10s or 1/250ms.");

    /// <summary>Reads a rate limit as <see cref="Parse"/> does; false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RateLimit? limit)
    {
        limit = null;
        var match = text is null ? null : Syntax().Match(text);
        if (match is null || !match.Success
            || !int.TryParse(match.Groups["count"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
            return false;
        var units = match.Groups["units"].Value;
        var number = units.Length == 0 ? 1 : double.Parse(units, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "ms" or "millisecond" or "milliseconds" => TimeSpan.FromMilliseconds(1),
            "s" or "sec" or "second" or "seconds" => TimeSpan.FromSeconds(1),
            "m" or "min" or "minute" or "minutes" => TimeSpan.FromMinutes(1),
            "h" or "hour" or "hours" => TimeSpan.FromHours(1),
            "d" or "day" or "days" => TimeSpan.FromDays(1),
            _ => TimeSpan.Zero,
        };
        var period = unit * number;
        if (period < TimeSpan.FromMilliseconds(1)) return false;
        limit = new RateLimit(count, period);
        return true;
    }

    /// <summary>The limit as <see cref="Parse"/> reads it: <c>10/s</c>, <c>100/min</c>, <c>5/10s</c>.</summary>
    public override string ToString()
    {
        var (number, unit) = Period.Ticks switch
        {
            var t when t % TimeSpan.TicksPerDay == 0 => (Period.TotalDays, "d"),
            var t when t % TimeSpan.TicksPerHour == 0 => (Period.TotalHours, "h"),
            var t when t % TimeSpan.TicksPerMinute == 0 => (Period.TotalMinutes, "min"),
            var t when t % TimeSpan.TicksPerSecond == 0 => (Period.TotalSeconds, "s"),
            _ => (Period.TotalMilliseconds, "ms"),
        };
        return number == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{Count}/{unit}")
            : string.Create(CultureInfo.InvariantCulture, $"{Count}/{number}{unit}");
    }

    [GeneratedRegex(@"^\s*(?<count>\d+)\s*/\s*(?<units>\d+(\.\d+)?)?\s*(?<unit>[a-zA-Z]+)\s*$")]
    private static partial Regex Syntax();
}
