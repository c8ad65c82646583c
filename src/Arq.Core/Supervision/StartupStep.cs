namespace Arq.Supervision;

/// <summary>
/// A step of an executor's start-up and when it ended (UTC), from the process's start: where a slow start spends its
/// time. The executor reports them when it is ready; the supervisor and the benchmark print them.
/// </summary>
internal readonly record struct StartupStep(string Name, DateTime At)
{
    /// <summary>The first step: the operating system started the process.</summary>
    public static StartupStep ProcessStarted()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new("process", self.StartTime.ToUniversalTime());
    }

    /// <summary>"0.93 s: pwsh 0.61 s, module 0.07 s, …": the whole, then each step's share.</summary>
    public static string Describe(IReadOnlyList<StartupStep> steps) => steps.Count < 2
        ? "(no start-up steps reported)"
        : $"{Seconds(steps[^1].At - steps[0].At)}: " +
          string.Join(", ", steps.Skip(1).Select((step, i) => $"{step.Name} {Seconds(step.At - steps[i].At)}"));

    private static string Seconds(TimeSpan span) => FormattableString.Invariant($"{span.TotalSeconds:0.00} s");
}
