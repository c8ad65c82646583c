using System.Diagnostics;
using System.Text.Json.Nodes;
using Arq;
using Arq.Bench;
using Arq.Supervision;
using Arq.Worker;
using StackExchange.Redis;

// Usage:
//   Arq.Bench run --module <out/Arq/Arq.psd1> --pwsh <pwsh.dll or pwsh> --bullmq <bench/bullmq> [--repeat 3] [--jobs 10000]
//                 [--cases original,enqueue,drain,latency,powershell,shell,aot] [--worker <this program published ReadyToRun>]
//                 [--aot <samples/AotWorker published as Native AOT>]
//   Arq.Bench drain <redis> <max jobs> [reflection]   a burst worker in a process of its own (binding by reflection
//                                          rather than the generated calls); prints its figures as JSON
//   Arq.Bench fill <redis> <jobs> [original]   enqueues no-op jobs (or the original workload's), for profiling a drain
//   Arq.Bench load --module <Arq.psd1> --pwsh <pwsh> [--seconds 60] [--rate 1000]
//                                          a sustained load through Start-ArqWorker's executor; prints its figures
if (args is ["drain", var redisText, var maxJobsText, .. var mode])
{
    await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnector.Parse(redisText));
    var worker = new ArqWorker(redis, Workloads.Register(reflection: mode is ["reflection"]), new ArqWorkerOptions { MaxJobs = int.Parse(maxJobsText), Burst = true });
    var seconds = await Clock.SecondsAsync(() => worker.RunAsync());
    Console.WriteLine(new JsonObject
    {
        ["seconds"] = seconds, ["complete"] = worker.Summary.Complete, ["failed"] = worker.Summary.Failed,
        ["cpuSeconds"] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds,
        ["jitSeconds"] = System.Runtime.JitInfo.GetCompilationTime().TotalSeconds,
        ["jitMethods"] = System.Runtime.JitInfo.GetCompiledMethodCount(),
        ["gcPauseSeconds"] = GC.GetTotalPauseDuration().TotalSeconds,
        ["gcCounts"] = $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}",
        ["allocatedMb"] = GC.GetTotalAllocatedBytes() / 1048576.0,
    }.ToJsonString());
    return 0;
}

if (args is ["fill", var fillRedis, var countText, .. var kind])
{
    await using var client = await ArqClient.ConnectAsync(fillRedis);
    var count = int.Parse(countText);
    await client.EnqueueManyAsync(kind is ["original"] ? Workloads.Original(count) : Workloads.Noops(count));
    return 0;
}

var options = args.Skip(1).Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0].TrimStart('-'), pair => pair[1]);
using var server = Arq.Tests.RedisTestServer.StartPrivate() ?? throw new InvalidOperationException("The benchmark needs redis-server on PATH.");
if (args is ["load", ..])
{
    await new LoadTest(server, options["module"], options["pwsh"], int.Parse(options.GetValueOrDefault("seconds", "60")),
        int.Parse(options.GetValueOrDefault("rate", "1000"))).RunAsync();
    return 0;
}
var cases = options.GetValueOrDefault("cases", "original,enqueue,drain,latency,powershell,shell,aot").Split(',').ToHashSet();
var drainProgram = options.GetValueOrDefault("worker", typeof(Bench).Assembly.Location);
var bench = new Bench(server, options["module"], options["pwsh"], options["bullmq"], drainProgram, int.Parse(options.GetValueOrDefault("jobs", "10000")), cases)
{
    AotWorker = options.GetValueOrDefault("aot"),
};
await bench.RunAsync(int.Parse(options.GetValueOrDefault("repeat", "3")));
return 0;
