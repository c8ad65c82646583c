using System.Globalization;
using Arq.Worker;

namespace Arq.Supervision;

/// <summary>
/// What the supervisor asks of a running executor, a line each on its standard input after the settings: "stop", and
/// "max-jobs N", how many jobs may run at once (one while <see cref="CrashTriage"/> sorts out a crash). The end of
/// input means the supervisor is gone, and stops the executor as "stop" does. Read on a thread of its own:
/// Console.In reads synchronously even when asked to read asynchronously.
/// </summary>
internal sealed class ExecutorRequests(CancellationTokenSource stop, int? jobLimit)
{
    private readonly object gate = new();
    private ArqWorker? worker;
    private int? limit = jobLimit;

    /// <summary>Starts reading <paramref name="input"/>.</summary>
    public void Watch(TextReader input) =>
        new Thread(() => Read(input)) { IsBackground = true, Name = "Arq executor requests" }.Start();

    /// <summary>Applies the requests to <paramref name="worker"/> from now on, starting with the last limit asked.</summary>
    public void Attach(ArqWorker worker)
    {
        lock (gate)
        {
            this.worker = worker;
            if (limit is { } max) worker.LimitJobs(max);
        }
    }

    private void Read(TextReader input)
    {
        while (input.ReadLine() is { } line)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words is ["stop"]) break;
            if (words is ["max-jobs", var count] && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var max)) Limit(max);
        }
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The executor has finished already.
        }
    }

    private void Limit(int max)
    {
        lock (gate)
        {
            limit = max;
            worker?.LimitJobs(max);
        }
    }
}
