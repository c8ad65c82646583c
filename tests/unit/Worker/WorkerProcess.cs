using System.Diagnostics;

namespace Arq.Tests.Worker;

/// <summary>An Arq.WorkerHost process running the Sleeper actor, for tests that kill a worker or run several.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process process;
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> output = [];

    public WorkerProcess(string redis, TimeSpan lease, int maxJobs, bool burst = false, string? rateLimit = null)
    {
        var start = WorkerHostCommand.Worker(redis, lease, maxJobs, burst, rateLimit);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Completes once the worker has started (it prints "ready").</summary>
    public Task Ready => ready.Task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Everything the process printed.</summary>
    public string Output
    {
        get { lock (output) return string.Join(Environment.NewLine, output); }
    }

    /// <summary>Kills the process at once: SIGKILL on Linux and macOS.</summary>
    public void KillHard()
    {
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Waits for a burst worker to end and returns its summary line.</summary>
    public async Task<string> ExitAsync()
    {
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"worker exited with {process.ExitCode}:\n{Output}");
        lock (output) return output.Last(line => line.Contains(" complete, "));
    }

    private void Received(string? line)
    {
        if (line is null) return;
        lock (output) output.Add(line);
        if (line == "ready") ready.TrySetResult();
    }

    public void Dispose()
    {
        if (!process.HasExited) KillHard();
        process.Dispose();
    }
}
