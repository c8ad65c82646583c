using System.Diagnostics;
using System.Text.Json.Nodes;
using Arq;
using Arq.Bench;
using Arq.Supervision;
using Arq.Worker;
using StackExchange.Redis;

// Usage:
//   Arq.Bench run --module <out/Arq/Arq.psd1> --pwsh <pwsh.dll or pwsh> --bullmq <bench/bullmq> [--repeat 3] [--jobs 10000]
//                 [--cases original,enqueue,drain,latency,powershell,shell,aot,cluster]
//                 --jit <Arq.Bench.Worker.dll as built> [--ready-to-run <it published ReadyToRun>] [--aot <it published Native AOT>]
//   Arq.Bench fill <redis> <jobs> [original]   enqueues no-op jobs (or the original workload's), for profiling a drain
//   Arq.Bench load --module <Arq.psd1> --pwsh <pwsh> [--seconds 60] [--rate 1000]
//                                          a sustained load through Start-ArqWorker's executor; prints its figures
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
var cases = options.GetValueOrDefault("cases", "original,enqueue,drain,latency,powershell,shell,aot,cluster").Split(',').ToHashSet();
// ReadyToRun first, when given: it is how a .NET worker service is usually deployed, and its drain is the one counted.
List<DrainWorker> workers = [.. new[] { ("ReadyToRun", "ready-to-run"), ("JIT", "jit"), ("Native AOT", "aot") }
    .Where(build => options.ContainsKey(build.Item2)).Select(build => new DrainWorker(build.Item1, options[build.Item2]))];
if (options.TryGetValue("aot", out var native)) workers.Add(new DrainWorker("Native AOT", native, Gen0BudgetMb: 4));
var bench = new Bench(server, options["module"], options["pwsh"], options["bullmq"], workers, int.Parse(options.GetValueOrDefault("jobs", "10000")), cases);
await bench.RunAsync(int.Parse(options.GetValueOrDefault("repeat", "3")));
return 0;
