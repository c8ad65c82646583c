using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Arq.Supervision;
using Arq.Tests;
using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Bench;

/// <summary>
/// Runs every case for Arq and for BullMQ on one redis-server, alternating, several times, and prints medians with
/// their range and the ratio Arq/BullMQ, with the target each ratio must meet.
/// </summary>
/// <remarks>The .NET drains run Arq.Bench.Worker in a process of its own, built each of the ways in
/// <paramref name="workers"/> (the JIT, ReadyToRun, Native AOT), side by side in the same run; the first is the one
/// whose Redis commands and CPU are counted.</remarks>
public sealed class Bench(RedisTestServer server, string modulePath, string pwsh, string bullmqFolder, IReadOnlyList<DrainWorker> workers, int jobs, ISet<string> cases)
{
    private const int OriginalJobs = 2000;
    private const int LatencySamples = 200;
    private readonly Dictionary<string, (Measure Arq, Measure BullMq, string Target)> rows = new();
    private readonly List<double> commandsPerJob = [];
    private readonly List<double> roundTripsPerJob = [];
    private readonly List<double> redisCpuPerJob = [];
    private readonly List<double> workerCpuPerJob = [];

    public async Task RunAsync(int repeat)
    {
        Console.WriteLine($"Arq vs BullMQ on {Environment.ProcessorCount} cores, redis-server {server.Command("INFO", "server").Split('\n').FirstOrDefault(l => l.StartsWith("redis_version"))?.Trim()}; {repeat} runs each, alternating.");
        for (var run = 1; run <= repeat; run++)
        {
            Console.Error.WriteLine($"run {run} of {repeat}...");
            if (cases.Contains("original")) await OriginalAsync();
            if (cases.Contains("enqueue")) await EnqueueAsync();
            if (cases.Contains("drain")) await DrainAsync();
            if (cases.Contains("latency")) await LatencyAsync();
            if (cases.Contains("powershell")) await PowerShellAsync();
            if (cases.Contains("shell")) await ShellBurstAsync();
            if (cases.Contains("aot") && workers.FirstOrDefault(w => w.IsNative) is { } native) await NativeStartAsync(native);
            if (cases.Contains("cluster")) await ClusterAsync();
        }
        cluster?.Dispose();
        Print();
    }

    private async Task OriginalAsync()
    {
        Flush();
        await using var client = await ArqClient.ConnectAsync(server.ConnectionString);
        var enqueue = await Clock.SecondsAsync(async () => { foreach (var job in Workloads.Original(OriginalJobs)) await client.EnqueueAsync(job.Function, job.Args, null); });
        Record($"Original arq workload: enqueue {OriginalJobs:N0}, one producer (s)", enqueue, BullMq("original-enqueue", OriginalJobs, 10)["seconds"], "");
        Flush();
        BullMq("original-enqueue", OriginalJobs, 10);
        var bull = BullMq("original-drain", OriginalJobs, 10)["seconds"];
        foreach (var worker in workers.Append(workers[0] with { Reflection = true }))
        {
            Flush();
            await client.EnqueueManyAsync(Workloads.Original(OriginalJobs));
            var drain = await DrainAsync(worker, 10);
            Record($"Original arq workload: drain {OriginalJobs:N0}, cold worker, {worker} (s)", drain.Seconds, bull, worker.Reflection ? "" : "Arq/BullMQ ≤ 0.5");
            if (!worker.IsNative) Record($"  of which the JIT compiling, {worker} (s)", drain.JitSeconds, double.NaN, "");
        }
    }

    private async Task EnqueueAsync()
    {
        Flush();
        await using var client = await ArqClient.ConnectAsync(server.ConnectionString);
        var single = await Clock.SecondsAsync(async () => { for (var i = 0; i < jobs; i++) await client.EnqueueAsync(Workloads.Noop, i); });
        Flush();
        var requests = Workloads.Noops(jobs).ToList();
        var batch = await Clock.SecondsAsync(() => client.EnqueueManyAsync(requests));
        Flush();
        Record($"No-op: enqueue {jobs:N0} one by one (s)", single, BullMq("enqueue-single", jobs, 50)["seconds"], "");
        Flush();
        Record($"No-op: enqueue {jobs:N0} with the batch API (s)", batch, BullMq("enqueue-batch", jobs, 50)["seconds"], "Arq/BullMQ ≤ 0.5");
    }

    private async Task DrainAsync()
    {
        Flush();
        BullMq("enqueue-batch", jobs, 50);
        var bull = BullMq("drain", jobs, 50);
        foreach (var worker in workers.Append(workers[0] with { Reflection = true }))
        {
            Flush();
            await EnqueueNoopsAsync();
            var counted = worker == workers[0];
            if (counted) server.Command("CONFIG", "RESETSTAT");
            var redisCpu = RedisCpuSeconds();
            var drain = await DrainAsync(worker, 50);
            Record($"No-op: drain {jobs:N0}, one worker, MaxJobs 50, {worker} (jobs/s)", jobs / drain.Seconds, jobs / (double)bull["seconds"]!,
                worker.Reflection ? "" : "Arq/BullMQ ≥ 1.5", higherIsBetter: true);
            Record($"  start-up before it, {worker} (ms)", drain.StartSeconds * 1000, double.NaN, "");
            if (worker.Reflection) continue;
            Record($"  peak working set, {worker} (MB)", drain.PeakWorkingSetMb, bull["peakRssMb"], worker.IsNative ? "Arq ≤ 40" : "");
            Record($"  allocations, {worker} (MB)", drain.AllocatedMb, double.NaN, "");
            if (!counted) continue;
            redisCpuPerJob.Add((RedisCpuSeconds() - redisCpu) * 1e6 / jobs);
            workerCpuPerJob.Add(drain.CpuSeconds * 1e6 / jobs);
            var stats = CommandStats();
            commandsPerJob.Add(stats.Values.Sum() / (double)jobs);
            roundTripsPerJob.Add((stats.GetValueOrDefault("evalsha") + stats.GetValueOrDefault("exec")) / (double)jobs);
        }
    }

    /// <summary>Enqueues no-op jobs; returns their ids.</summary>
    private async Task<List<string>> EnqueueNoopsAsync(string function = Workloads.Noop, int? count = null)
    {
        await using var client = await ArqClient.ConnectAsync(server.ConnectionString);
        return [.. (await client.EnqueueManyAsync(Workloads.Noops(count ?? jobs, function))).OfType<Job>().Select(job => job.Id)];
    }

    private async Task LatencyAsync()
    {
        Flush();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString);
        var client = new ArqClient(redis);
        var latencies = new List<double>();
        TaskCompletionSource started = new();
        var functions = new FunctionRegistry().Add("ping", (long enqueuedAt) =>
        {
            latencies.Add(Stopwatch.GetElapsedTime(enqueuedAt).TotalMilliseconds);
            started.TrySetResult();
        });
        using var stop = new CancellationTokenSource();
        var worker = new ArqWorker(redis, functions, new ArqWorkerOptions { MaxJobs = 1 }).RunAsync(stop.Token);
        await Task.Delay(500); // idle: the worker waits for its poll delay or a wake-up
        for (var i = 0; i < LatencySamples; i++)
        {
            started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await client.EnqueueAsync("ping", Stopwatch.GetTimestamp());
            await started.Task;
        }
        await stop.CancelAsync();
        await worker;
        latencies.Sort();
        Flush();
        var bull = BullMq("latency", LatencySamples, 1);
        Record("Pickup latency, idle worker, p50 (ms)", latencies[LatencySamples / 2], bull["p50Ms"], "Arq < 2 ms");
        Record("Pickup latency, idle worker, p99 (ms)", latencies[LatencySamples * 99 / 100], bull["p99Ms"], "");
    }

    /// <summary>How many more jobs than the .NET drain the PowerShell case drains: enough for its steady rate to show
    /// past the executor's start-up and warm-up, which dominate a drain of 10,000.</summary>
    private const int PowerShellJobsFactor = 5;

    private async Task PowerShellAsync()
    {
        var total = jobs * PowerShellJobsFactor;
        var noop = await DrainThroughExecutorAsync(PowerShellExecutor.NoopFunction, total);
        Record("PowerShell actors: executor start to first job done (s)", noop.FirstDone, double.NaN, "Arq ≤ 0.5");
        foreach (var (step, seconds) in noop.Startup) Record($"  of which {step} (s)", seconds, double.NaN, "");
        Record($"PowerShell actors: steady drain of {total:N0} no-op jobs (jobs/s)", noop.Steady, double.NaN, "Arq ≥ 4,000", higherIsBetter: true);
        Record($"PowerShell actors: the whole drain, start-up included (jobs/s)", noop.Whole, double.NaN, "", higherIsBetter: true);
        Record("PowerShell actors: executor's working set at a fifth of the drain (MB)", noop.FifthMb, double.NaN, "");
        Record("PowerShell actors: executor's working set at four fifths (MB)", noop.FourFifthsMb, double.NaN, "flat");
        Record("PowerShell actors: executor's peak working set (MB)", noop.PeakMb, double.NaN, "");
        var report = await DrainThroughExecutorAsync(PowerShellExecutor.ReportFunction, jobs);
        Record($"PowerShell actors: steady drain of {jobs:N0} report jobs, pscustomobject to 1 KB of JSON (jobs/s)", report.Steady, double.NaN, "", higherIsBetter: true);
    }

    /// <summary>Drains <paramref name="total"/> jobs of <paramref name="function"/> through the executor Start-ArqWorker
    /// starts, sampling the queue's own counter and the executor's memory every 50 ms.</summary>
    private async Task<(double FirstDone, IReadOnlyList<(string Step, double Seconds)> Startup, double Steady, double Whole, double FifthMb, double FourFifthsMb, double PeakMb)> DrainThroughExecutorAsync(string function, int total)
    {
        Flush();
        var queued = await EnqueueNoopsAsync(function, total);
        var actors = await PowerShellExecutor.WriteActorsAsync("arq-bench-actors.ps1");
        var started = Stopwatch.GetTimestamp();
        var startedAt = DateTime.UtcNow;
        var supervisor = PowerShellExecutor.Start(pwsh, modulePath, server.ConnectionString, actors, new() { MaxJobs = 50, Burst = true });
        var draining = PowerShellExecutor.RelayProblemsAsync(supervisor);
        var running = supervisor.RunAsync();
        // Samples of (seconds since start, jobs complete, executor's working set), from the queue's own counter.
        var samples = new List<(double Seconds, long Complete, double WorkingSetMb)>();
        double peak = 0;
        while (!running.IsCompleted)
        {
            var memory = PowerShellExecutor.MemoryMb(supervisor);
            if (memory is { } m) peak = Math.Max(peak, m.Peak);
            var complete = long.TryParse(server.Command("HGET", "arq:queue:stats", "complete"), out var n) ? n : 0;
            samples.Add((Stopwatch.GetElapsedTime(started).TotalSeconds, complete, memory?.Now ?? double.NaN));
            await Task.Delay(50);
        }
        var summary = await running;
        var ready = await draining;
        if (summary.Complete != total) throw new InvalidOperationException($"The PowerShell executor completed {summary.Complete} of {total} {function} jobs: {summary}");
        // Steady: from the sample past a fifth of the jobs to the one past four fifths, start-up and tail left out.
        var from = samples.FirstOrDefault(s => s.Complete >= total / 5);
        var to = samples.FirstOrDefault(s => s.Complete >= total * 4 / 5);
        var first = samples.FirstOrDefault(s => s.Complete > 0);
        var steady = to.Seconds > from.Seconds ? (to.Complete - from.Complete) / (to.Seconds - from.Seconds) : double.NaN;
        var startup = await StartupAsync(startedAt, ready, queued.Take(200));
        return (first.Complete > 0 ? first.Seconds : double.NaN, startup, steady, summary.Complete / summary.Duration.TotalSeconds, from.WorkingSetMb, to.WorkingSetMb, peak);
    }

    /// <summary>Where an executor's start-up went, step by step from the supervisor's start: the steps the executor
    /// reported, then its first claim and first result, read from the results of the first jobs in the queue.</summary>
    private async Task<IReadOnlyList<(string Step, double Seconds)>> StartupAsync(DateTime startedAt, ExecutorEvent.Ready? ready, IEnumerable<string> firstJobs)
    {
        await using var client = await ArqClient.ConnectAsync(server.ConnectionString);
        var results = await Task.WhenAll(firstJobs.Select(id => client.GetJob(id).GetResultInfoAsync()));
        var finished = results.OfType<JobResult>().ToList();
        if (ready is null || finished.Count == 0) return [];
        List<StartupStep> steps = [new("supervisor", startedAt), .. ready.Startup,
            new("first claim", finished.Min(r => r.StartTime).UtcDateTime), new("first result", finished.Min(r => r.FinishTime).UtcDateTime)];
        // The system gives a process's start time to 10 ms or so: a step that short may come out a little negative.
        return [.. steps.Skip(1).Select((step, i) => (step.Name, Math.Max(0, (step.At - steps[i].At).TotalSeconds)))];
    }

    /// <summary>The way a scheduled task or a CI step runs a worker: a new pwsh per run, from the shell. A bare
    /// <c>pwsh -c 1</c> beside it, on the same machine in the same run, is the floor.</summary>
    private async Task ShellBurstAsync()
    {
        Flush();
        var actors = await PowerShellExecutor.WriteActorsAsync("arq-bench-actors.ps1");
        var burst = $"Import-Module '{modulePath}'; Start-ArqWorker -Redis '{server.ConnectionString}' -Path '{actors}' -MaxJobs 50 -Burst | Out-Null";
        var bare = await Clock.SecondsAsync(() => RunPwshAsync("1"));
        var empty = await Clock.SecondsAsync(() => RunPwshAsync(burst));
        await EnqueueNoopsAsync(PowerShellExecutor.NoopFunction, ShellBurstJobs);
        var full = await Clock.SecondsAsync(() => RunPwshAsync(burst));
        if (server.Command("ZCARD", "arq:queue") != "0") throw new InvalidOperationException("The burst from the shell left jobs queued.");
        Record("From the shell: pwsh -NoProfile -c 1 (s)", bare, double.NaN, "");
        Record("From the shell: Start-ArqWorker -Burst, empty queue (s)", empty, double.NaN, "≤ bare + 0.6");
        Record($"From the shell: Start-ArqWorker -Burst, {ShellBurstJobs:N0} no-op jobs (s)", full, double.NaN, "");
    }

    private const int ShellBurstJobs = 5000;

    private async Task RunPwshAsync(string command)
    {
        var start = new ProcessStartInfo(pwsh.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? "dotnet" : pwsh) { RedirectStandardOutput = true };
        if (pwsh.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) start.ArgumentList.Add(pwsh);
        foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-Command", command }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"pwsh -Command {command} failed with exit code {process.ExitCode}: {output}");
    }

    private RedisTestCluster? cluster;

    /// <summary>The no-op drain on one queue of the single redis-server, then spread over three queues on the three
    /// primaries of a Redis Cluster (six redis-server processes on this machine), by the first worker build: jobs/s,
    /// and redis-server CPU per job, per shard on the cluster, from which a shard's throughput is projected.</summary>
    private async Task ClusterAsync()
    {
        Flush();
        await EnqueueNoopsAsync();
        server.Command("CONFIG", "RESETSTAT");
        var before = RedisCpuSeconds(server);
        var single = await DrainAsync(workers[0], 50);
        var singleCpu = (RedisCpuSeconds(server) - before) * 1e6 / jobs;
        Record($"Cluster case: one queue on one redis-server, drain {jobs:N0}, {workers[0]} (jobs/s)", jobs / single.Seconds, double.NaN, "", higherIsBetter: true);
        Record("  redis-server CPU per job (µs)", singleCpu, double.NaN, "");
        var singleStats = CommandStats(server);
        Record("  Redis commands per job", singleStats.Values.Sum() / (double)jobs, double.NaN, "");
        Record("  claim and finish script calls per job", singleStats.GetValueOrDefault("evalsha") / (double)jobs, double.NaN, "");

        cluster ??= RedisTestCluster.Start() ?? throw new InvalidOperationException("The cluster case needs redis-server and redis-cli on PATH.");
        var layout = new ArqClientOptions { KeyLayout = Protocol.KeyLayout.Cluster };
        await using var client = await ArqClient.ConnectAsync(cluster.ConnectionString, layout);
        var primaries = cluster.Primaries;
        // A queue on each primary: names tried until each primary serves one.
        var queues = new Dictionary<int, string>();
        for (var i = 0; queues.Count < primaries.Count; i++)
        {
            var name = $"bench-{i}";
            var port = ((System.Net.IPEndPoint)client.Connection.GetDatabase().IdentifyEndpoint(Protocol.QueueKeys.For(name, Protocol.KeyLayout.Cluster).Queue)!).Port;
            queues.TryAdd(port, name);
        }
        foreach (var name in queues.Values) await client.GetQueue(name).ClearAsync();
        var names = queues.Values.ToList();
        await client.EnqueueManyAsync(Enumerable.Range(0, jobs).Select(i => new JobRequest(Workloads.Noop, [i], null, new EnqueueOptions { Queue = names[i % names.Count] })));
        foreach (var primary in primaries) primary.Command("CONFIG", "RESETSTAT");
        var shardsBefore = primaries.Select(RedisCpuSeconds).ToList();
        var spread = await DrainAsync(workers[0], 50, cluster.ConnectionString, "cluster", "queues=" + string.Join(",", names));
        var perShard = primaries.Select((primary, i) => (RedisCpuSeconds(primary) - shardsBefore[i]) * 1e6 / (jobs / (double)primaries.Count)).ToList();
        Record($"Cluster case: {names.Count} queues over {primaries.Count} primaries, drain {jobs:N0}, one {workers[0]} (jobs/s)", jobs / spread.Seconds, double.NaN, "",
            higherIsBetter: true);
        for (var i = 0; i < perShard.Count; i++)
        {
            Record($"  redis-server CPU per job, shard {i + 1} (µs)", perShard[i], double.NaN, "");
            var stats = CommandStats(primaries[i]);
            Record($"  Redis commands per job, shard {i + 1}", stats.Where(s => s.Key != "cluster").Sum(s => s.Value) / (jobs / (double)primaries.Count), double.NaN, "");
            Record($"  claim and finish script calls per job, shard {i + 1}", stats.GetValueOrDefault("evalsha") / (jobs / (double)primaries.Count), double.NaN, "");
        }
        Record("  a shard's projected ceiling, one second over its CPU per job (jobs/s)", 1e6 / perShard.Average(), double.NaN, "", higherIsBetter: true);
    }

    /// <summary>The Native AOT worker from its process's start to its exit, with one job to run.</summary>
    private async Task NativeStartAsync(DrainWorker native)
    {
        Flush();
        await EnqueueNoopsAsync(count: 1);
        var started = Stopwatch.GetTimestamp();
        await DrainAsync(native, 50);
        Record($"Process start to exit, one job, {native} (ms)", Stopwatch.GetElapsedTime(started).TotalMilliseconds, double.NaN, "Arq ≤ 100");
    }

    /// <summary>Drains the queue with <paramref name="worker"/>, a burst worker in a process of its own; returns the
    /// figures it prints and its peak memory.</summary>
    private async Task<DrainFigures> DrainAsync(DrainWorker worker, int maxJobs, string? redis = null, params string[] options)
    {
        using var process = Process.Start(worker.Start(redis ?? server.ConnectionString, maxJobs, options))!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var figures = JsonSerializer.Deserialize<DrainFigures>(output.Trim().Split('\n').Last(), JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException($"The {worker} printed no figures: {output}");
        if (process.ExitCode != 0 || figures.Failed != 0) throw new InvalidOperationException($"{figures.Failed} benchmark jobs failed in the {worker}: {output}");
        return figures;
    }

    private JsonNode BullMq(string mode, int count, int concurrency)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, WorkingDirectory = bullmqFolder };
        foreach (var argument in new[] { "bench.mjs", mode, server.Port.ToString(), count.ToString(), concurrency.ToString() })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"node bench.mjs {mode} failed with exit code {process.ExitCode}.");
        return JsonNode.Parse(output.Trim().Split('\n').Last())!;
    }

    private void Record(string name, double arq, JsonNode? bullMq, string target, bool higherIsBetter = false) =>
        Record(name, arq, bullMq is null ? double.NaN : (double)bullMq, target, higherIsBetter);

    private void Record(string name, double arq, double bullMq, string target, bool higherIsBetter = false)
    {
        if (!rows.TryGetValue(name, out var row))
            rows[name] = row = (new Measure(name, "", higherIsBetter, []), new Measure(name, "", higherIsBetter, []), target);
        row.Arq.Values.Add(arq);
        if (!double.IsNaN(bullMq)) row.BullMq.Values.Add(bullMq);
    }

    private void Flush() => server.Command("FLUSHALL");

    /// <summary>The CPU time redis-server has used so far (user and system), from INFO cpu.</summary>
    private double RedisCpuSeconds() => RedisCpuSeconds(server);

    private static double RedisCpuSeconds(RedisTestServer server) => server.Command("INFO", "cpu")
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => line.StartsWith("used_cpu_user:", StringComparison.Ordinal) || line.StartsWith("used_cpu_sys:", StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.IndexOf(':') + 1)..], CultureInfo.InvariantCulture));

    private Dictionary<string, long> CommandStats() => CommandStats(server);

    private static Dictionary<string, long> CommandStats(RedisTestServer server) => server.Command("INFO", "commandstats")
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(line => line.StartsWith("cmdstat_", StringComparison.Ordinal))
        .Select(line => (Name: line[8..line.IndexOf(':')], Calls: long.Parse(line.Split("calls=")[1].Split(',')[0], CultureInfo.InvariantCulture)))
        .Where(stat => stat.Name is not ("info" or "config"))
        .ToDictionary(stat => stat.Name, stat => stat.Calls);

    private static double MedianOf(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private void Print()
    {
        const string format = "0.###";
        var table = rows.Values.Select(row =>
        {
            var ratio = row.BullMq.Values.Count == 0 ? "–" : (row.Arq.Median / row.BullMq.Median).ToString("0.00");
            // A target met "in every run": the worst of the runs' own ratios beside the ratio of the medians.
            var runs = row.Arq.Values.Zip(row.BullMq.Values, (arq, bull) => arq / bull).ToList();
            if (runs.Count > 1) ratio += $" (worst {(row.Arq.HigherIsBetter ? runs.Min() : runs.Max()):0.00})";
            return new[] { row.Arq.Name, row.Arq.Show(format), row.BullMq.Show(format), ratio, row.Target };
        }).ToList();
        string[] header = ["Case", "Arq: median (min–max)", "BullMQ: median (min–max)", "Arq/BullMQ", "Target"];
        var widths = header.Select((h, i) => table.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var row in table) Console.WriteLine(Line(row));
        if (commandsPerJob.Count == 0) return;
        Console.WriteLine();
        Console.WriteLine($"Arq, no-op drain: {MedianOf(commandsPerJob):0.00} Redis commands per job " +
            $"(including those inside scripts), {MedianOf(roundTripsPerJob):0.00} round trips (script calls and transactions) per job.");
        Console.WriteLine($"Arq, no-op drain: CPU per job {MedianOf(redisCpuPerJob):0.0} µs in redis-server, " +
            $"{MedianOf(workerCpuPerJob):0.0} µs in the worker process (start-up included).");
    }
}
