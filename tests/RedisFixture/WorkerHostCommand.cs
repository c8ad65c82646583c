using System.Diagnostics;

namespace Arq.Tests;

/// <summary>The command line of the test worker process (Arq.WorkerHost): one place for it. It is built beside the
/// xunit tests; the Pester tests name it in ARQ_WORKERHOST_PATH.</summary>
public static class WorkerHostCommand
{
    /// <summary>The environment variable that names Arq.WorkerHost.dll where it is not beside the test binaries.</summary>
    public const string PathVariable = "ARQ_WORKERHOST_PATH";

    /// <summary>Runs as an executor (Arq.Core's ExecutorHost) for a supervisor's tests.</summary>
    public static ProcessStartInfo Executor() => Create("executor");

    /// <summary>Runs a worker on <paramref name="redis"/> with the Sleeper actor and the test functions.</summary>
    public static ProcessStartInfo Worker(string redis, TimeSpan lease, int maxJobs, bool burst, string? rateLimit = null) =>
        Create([redis, ((int)lease.TotalMilliseconds).ToString(), maxJobs.ToString(), burst ? "burst" : "run", .. rateLimit is null ? Array.Empty<string>() : [rateLimit]]);

    private static ProcessStartInfo Create(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        start.ArgumentList.Add(Environment.GetEnvironmentVariable(PathVariable) ?? Path.Combine(AppContext.BaseDirectory, "Arq.WorkerHost.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
