using System.Diagnostics;
using System.Runtime;
using System.Text.Json;
using Arq;
using Arq.Protocol;
using Arq.Bench;
using Arq.Worker;
using StackExchange.Redis;

// Usage: Arq.Bench.Worker <redis> <max jobs> [reflection] [cluster] [queues=<a,b,c>]
// A burst worker for the benchmark's queues (arq:queue unless named): drains them (binding by reflection rather than
// the generated calls with "reflection", in the cluster key layout with "cluster"), then prints its figures as one
// line of JSON. Arq.Bench starts it in a process of its own.
if (args is not [var redisText, var maxJobsText, .. var mode])
{
    Console.Error.WriteLine("Usage: Arq.Bench.Worker <redis> <max jobs> [reflection] [cluster] [queues=<a,b,c>]");
    return 2;
}
var reflection = mode.Contains("reflection");
var layout = mode.Contains("cluster") ? KeyLayout.Cluster : KeyLayout.Arq;
string[] queues = mode.FirstOrDefault(m => m.StartsWith("queues=", StringComparison.Ordinal)) is { } named
    ? named["queues=".Length..].Split(',')
    : [ArqKeys.DefaultQueue];
if (reflection && !System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported)
{
    Console.Error.WriteLine("Native AOT has no reflection path to measure.");
    return 2;
}
await using var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnector.Parse(redisText));
var functions = new FunctionRegistry { UseGeneratedCode = !reflection }.AddActor<BenchJobs>();
var worker = new ArqWorker(redis, functions, new ArqWorkerOptions { MaxJobs = int.Parse(maxJobsText), Burst = true, Queues = queues, KeyLayout = layout });
var started = Stopwatch.GetTimestamp();
await worker.RunAsync();
var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

var process = Process.GetCurrentProcess();
using var json = new Utf8JsonWriter(Console.OpenStandardOutput());
json.WriteStartObject();
json.WriteNumber("seconds", seconds);
json.WriteNumber("complete", worker.Summary.Complete);
json.WriteNumber("failed", worker.Summary.Failed);
// From the process's start to the drain's: the runtime, Arq's registration and the connection.
json.WriteNumber("startSeconds", (DateTime.Now - process.StartTime).TotalSeconds - seconds);
json.WriteNumber("cpuSeconds", process.TotalProcessorTime.TotalSeconds);
json.WriteNumber("jitSeconds", JitInfo.GetCompilationTime().TotalSeconds);
json.WriteNumber("jitMethods", JitInfo.GetCompiledMethodCount());
json.WriteNumber("gcPauseSeconds", GC.GetTotalPauseDuration().TotalSeconds);
json.WriteString("gcCounts", $"{GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
json.WriteNumber("allocatedMb", GC.GetTotalAllocatedBytes() / 1048576.0);
json.WriteNumber("peakWorkingSetMb", process.PeakWorkingSet64 / 1048576.0);
json.WriteEndObject();
json.Flush();
Console.WriteLine();
return worker.Summary.Failed == 0 ? 0 : 1;
