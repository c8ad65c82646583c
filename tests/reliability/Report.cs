namespace Arq.Reliability;

/// <summary>
/// The suite's figures (jobs, kills, restarts, lost, ran twice), one line per scenario, appended to the file that
/// <c>ARQ_RELIABILITY_REPORT</c> names (build.ps1 prints it after the run) and sent to the test log.
/// </summary>
public static class Report
{
    private static readonly object Gate = new();

    public static void Write(string scenario, params (string Name, object Value)[] figures)
    {
        var line = $"{scenario}: {string.Join(", ", figures.Select(f => $"{f.Name} {f.Value}"))}";
        TestContext.Current.SendDiagnosticMessage(line);
        var path = Environment.GetEnvironmentVariable("ARQ_RELIABILITY_REPORT") ?? Path.Combine(AppContext.BaseDirectory, "reliability-report.txt");
        lock (Gate) File.AppendAllLines(path, [line]);
    }
}
