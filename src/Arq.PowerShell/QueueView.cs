using System.Globalization;

namespace Arq.PowerShell;

/// <summary>The live view's text: a title line and a table of queues.</summary>
internal static class QueueView
{
    public static List<string> Render(IReadOnlyList<QueueActivity> queues, TimeSpan interval)
    {
        string[] header = ["Queue", "Queued", "Deferred", "InProgress", "Complete/s", "Failed/s", "Worker (last health check)"];
        var rows = queues.Select(q => new[]
        {
            TerminalText.Clean(q.Info.Name),
            q.Info.Queued.ToString("N0", CultureInfo.CurrentCulture),
            q.Info.Deferred.ToString("N0", CultureInfo.CurrentCulture),
            q.Info.InProgress.ToString("N0", CultureInfo.CurrentCulture),
            q.CompletePerSecond.ToString("N1", CultureInfo.CurrentCulture),
            q.FailedPerSecond.ToString("N1", CultureInfo.CurrentCulture),
            q.Info.Health is { } health
                ? $"{TerminalText.Clean(health.Time)}: {health.Complete} complete, {health.Failed} failed, {health.Ongoing} running"
                : "no health check",
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i is 0 or 6 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        var lines = new List<string>
        {
            $"Arq queues at {DateTime.Now:HH:mm:ss}, every {interval.TotalSeconds:0.#} s; Ctrl+C stops.",
            Line(header),
            Line(widths.Select(w => new string('-', w)).ToArray()),
        };
        lines.AddRange(rows.Select(Line));
        return lines;
    }
}
