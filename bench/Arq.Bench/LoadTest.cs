using System.Diagnostics;
using Arq.Supervision;
using Arq.Protocol;
using Arq.Tests;
using StackExchange.Redis;

namespace Arq.Bench;

/// <summary>
/// A sustained load: a producer enqueues no-op jobs at a steady rate for a chosen time while Start-ArqWorker's
/// executor (PowerShell actors) runs them. Prints a line a second (enqueued, done, backlog, the executor's memory)
/// and at the end throughput, pickup latency (enqueue to start) and run time percentiles from the results' own
/// timestamps, and the executor's memory over the run, so that a leak shows as growth.
/// </summary>
public sealed class LoadTest(RedisTestServer server, string modulePath, string pwsh, int seconds, int rate)
{
    public async Task RunAsync()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var client = new ArqClient(redis);
        var actors = await PowerShellExecutor.WriteActorsAsync("arq-load-actors.ps1");
        var supervisor = PowerShellExecutor.Start(pwsh, modulePath, server.ConnectionString, actors, new() { MaxJobs = 50 });
        var draining = PowerShellExecutor.RelayProblemsAsync(supervisor);
        var running = supervisor.RunAsync();
        await WaitForExecutorAsync(supervisor);

        Console.WriteLine($"Load: {rate:N0} no-op jobs/s for {seconds} s into Start-ArqWorker's executor (PowerShell actors, MaxJobs 50), " +
            $"on {Environment.ProcessorCount} cores.");
        Console.WriteLine("  second  enqueued      done   backlog  executor MB");
        var ids = new List<string>();
        var memory = new List<double>();
        var clock = Stopwatch.StartNew();
        var nextReport = TimeSpan.FromSeconds(1);
        var sent = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            var due = (int)(clock.Elapsed.TotalSeconds * rate) - sent;
            if (due > 0)
            {
                var jobs = await client.EnqueueManyAsync(Workloads.Noops(due, PowerShellExecutor.NoopFunction, sent));
                ids.AddRange(jobs.Select(j => j!.Id));
                sent += due;
            }
            if (clock.Elapsed >= nextReport)
            {
                memory.Add(await ReportAsync(client, supervisor, (int)nextReport.TotalSeconds, sent));
                nextReport += TimeSpan.FromSeconds(1);
            }
            await Task.Delay(10); // a steady stream: a batch every 10 ms
        }
        var (info, _) = (await client.GetQueue(ArqKeys.DefaultQueue).GetInfoAsync(), 0);
        while (info.Queued + info.InProgress + info.Deferred > 0)
        {
            await Task.Delay(100);
            info = await client.GetQueue(ArqKeys.DefaultQueue).GetInfoAsync();
        }
        var drained = clock.Elapsed;
        supervisor.Stop();
        await running;
        await draining;
        await SummarizeAsync(redis, ids, drained, memory);
    }

    private static async Task WaitForExecutorAsync(ExecutorSupervisor supervisor)
    {
        while (supervisor.ProcessId is null) await Task.Delay(50);
        await Task.Delay(2000); // pwsh starts and loads the module before it claims; the load starts after
    }

    private static async Task<double> ReportAsync(ArqClient client, ExecutorSupervisor supervisor, int second, int sent)
    {
        var info = await client.GetQueue(ArqKeys.DefaultQueue).GetInfoAsync();
        var backlog = info.Queued + info.InProgress + info.Deferred;
        var megabytes = PowerShellExecutor.MemoryMb(supervisor)?.Now ?? 0;
        Console.WriteLine($"  {second,6}  {sent,8:N0}  {sent - backlog,8:N0}  {backlog,8:N0}  {megabytes,11:0.0}");
        return megabytes;
    }

    private static async Task SummarizeAsync(IConnectionMultiplexer redis, List<string> ids, TimeSpan drained, List<double> memory)
    {
        var database = redis.GetDatabase();
        var results = (await Task.WhenAll(ids.Select(id => database.StringGetAsync(ArqKeys.Result(id)))))
            .Where(r => !r.IsNull).Select(r => ResultMessage.Decode((byte[])r!)).ToList();
        var pickup = results.Select(r => (double)(r.StartTimeMs - r.EnqueueTimeMs)).Order().ToList();
        var runTime = results.Select(r => (double)(r.FinishTimeMs - r.StartTimeMs)).Order().ToList();
        string Percentiles(List<double> values) => values.Count == 0 ? "–" :
            $"p50 {At(values, 0.50)} ms, p90 {At(values, 0.90)} ms, p99 {At(values, 0.99)} ms, max {values[^1]} ms";
        var settled = memory.Skip(memory.Count / 4).ToList(); // after start-up and the first runspaces
        Console.WriteLine();
        Console.WriteLine($"Jobs: {ids.Count:N0} enqueued, {results.Count(r => r.Success):N0} succeeded, {results.Count(r => !r.Success):N0} failed, " +
            $"{ids.Count - results.Count:N0} without a result; throughput {results.Count / drained.TotalSeconds:N0} jobs/s.");
        Console.WriteLine($"Pickup (enqueue to start): {Percentiles(pickup)}.");
        Console.WriteLine($"Run time: {Percentiles(runTime)}.");
        if (settled.Count > 1)
            Console.WriteLine($"Executor memory: {memory[0]:0.0} MB at 1 s, {settled[0]:0.0} MB once settled, {settled[^1]:0.0} MB at the end " +
                $"(peak {memory.Max():0.0} MB; growth after settling {settled[^1] - settled[0]:+0.0;-0.0} MB over {settled.Count} s).");
    }

    private static double At(List<double> sorted, double quantile) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * quantile))];
}
