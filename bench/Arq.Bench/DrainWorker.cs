using System.Diagnostics;

namespace Arq.Bench;

/// <summary>One build of Arq.Bench.Worker: <paramref name="Name"/> in the table, <paramref name="Path"/> its program (a
/// .dll that dotnet runs, or a native executable), binding by reflection rather than the generated calls with
/// <paramref name="Reflection"/>, with a smaller GC gen0 budget than the runtime's default with
/// <paramref name="Gen0BudgetMb"/>.</summary>
/// <remarks>The runtime sizes the gen0 budget by the CPU's cache: on this machine's it is larger than the whole no-op
/// drain allocates, so nothing is collected and every allocation stays in the working set. Only the environment
/// variable DOTNET_GCgen0size sets it (no runtimeconfig setting does).</remarks>
public sealed record DrainWorker(string Name, string Path, bool Reflection = false, int? Gen0BudgetMb = null)
{
    /// <summary>Whether this is the Native AOT build (no JIT, no reflection path).</summary>
    public bool IsNative => !Path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);

    public ProcessStartInfo Start(string redis, int maxJobs, params string[] options)
    {
        var start = new ProcessStartInfo(IsNative ? Path : "dotnet") { RedirectStandardOutput = true };
        if (!IsNative) start.ArgumentList.Add(Path);
        start.ArgumentList.Add(redis);
        start.ArgumentList.Add($"{maxJobs}");
        if (Reflection) start.ArgumentList.Add("reflection");
        foreach (var option in options) start.ArgumentList.Add(option);
        if (Gen0BudgetMb is { } budget) start.Environment["DOTNET_GCgen0size"] = $"{budget * 1024 * 1024:X}";
        return start;
    }

    public override string ToString() =>
        Reflection ? $"{Name} worker binding by reflection" : Gen0BudgetMb is { } budget ? $"{Name} worker, DOTNET_GCgen0size {budget} MB" : $"{Name} worker";
}

/// <summary>What Arq.Bench.Worker prints when its drain is done.</summary>
public sealed record DrainFigures(double Seconds, long Complete, long Failed, double StartSeconds, double CpuSeconds, double JitSeconds,
    double AllocatedMb, double PeakWorkingSetMb);
