using System.Diagnostics;
using System.Runtime.InteropServices;
using Arq;
using Arq.Samples.AotWorker;
using Arq.Worker;

// Usage: aot-worker <redis> [--burst]. Runs the Prices and Stock actors' jobs until Ctrl+C or SIGTERM (or, with --burst,
// until the queue is empty), then prints how long it ran, how many jobs it did and its peak memory.
var started = Stopwatch.GetTimestamp();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
using var terminate = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });

await using var client = await ArqClient.ConnectAsync(args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)));
var functions = new FunctionRegistry().AddActor<Prices>().AddActor<Stock>();
var worker = new ArqWorker(client.Connection, functions, new ArqWorkerOptions { Burst = args.Contains("--burst"), MaxJobs = 50 });
var summary = await worker.RunAsync(stop.Token);
Console.WriteLine($"{summary.Complete} complete, {summary.Failed} failed; ran {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms; " +
    $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MB");
return summary.Failed == 0 ? 0 : 1;
