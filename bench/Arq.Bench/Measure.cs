using System.Diagnostics;

namespace Arq.Bench;

/// <summary>One figure measured several times: median and range.</summary>
public sealed record Measure(string Name, string Unit, bool HigherIsBetter, List<double> Values)
{
    public double Median => Values.Order().ElementAt(Values.Count / 2);

    public string Show(string format) => Values.Count == 0 ? "–"
        : Values.Count == 1 ? Median.ToString(format)
        : $"{Median.ToString(format)} ({Values.Min().ToString(format)}–{Values.Max().ToString(format)})";
}

/// <summary>Timing helpers.</summary>
public static class Clock
{
    public static async Task<double> SecondsAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }
}
