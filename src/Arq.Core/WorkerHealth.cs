using System.Text.RegularExpressions;

namespace Arq;

/// <summary>A worker's health-check line (docs/protocol.md §10), parsed: <c>Nov-29 11:30:10 j_complete=1 j_failed=0 …</c>.</summary>
/// <param name="Line">The line as stored.</param>
/// <param name="Time">When the worker wrote it, as it wrote it (the worker's local time, no year).</param>
/// <param name="Complete">Jobs completed since the worker started.</param>
/// <param name="Failed">Jobs failed.</param>
/// <param name="Retried">Jobs retried.</param>
/// <param name="Ongoing">Jobs running when the line was written.</param>
/// <param name="Queued">Jobs in the queue when the line was written.</param>
public sealed partial record WorkerHealth(string Line, string Time, long Complete, long Failed, long Retried, long Ongoing, long Queued)
{
    /// <summary>Parses a health-check line; null when it is not in arq's format.</summary>
    public static WorkerHealth? Parse(string? line)
    {
        if (line is null) return null;
        var match = Format().Match(line);
        if (!match.Success) return null;
        var counts = new long[5];
        string[] names = ["complete", "failed", "retried", "ongoing", "queued"];
        for (var i = 0; i < names.Length; i++)
        {
            // Digits past a long's range are not arq's format either: the line is anyone's who can write to Redis.
            if (!long.TryParse(match.Groups[names[i]].ValueSpan, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out counts[i]))
                return null;
        }
        return new WorkerHealth(line, match.Groups["time"].Value, counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    [GeneratedRegex(@"^(?<time>\S+ \S+) j_complete=(?<complete>\d+) j_failed=(?<failed>\d+) j_retried=(?<retried>\d+) j_ongoing=(?<ongoing>\d+) queued=(?<queued>\d+)$")]
    private static partial Regex Format();
}
