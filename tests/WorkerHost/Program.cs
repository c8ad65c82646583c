using Arq;
using Arq.Worker;
using Arq.WorkerHost;
using StackExchange.Redis;

// Usage: Arq.WorkerHost <redis> <lease ms> <max jobs> [burst]
// Runs the Sleeper actor and Echo, Add and Fail until stopped (or, with "burst", until the queue is empty); prints "ready" once started.
var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnector.Parse(args[0]));
var options = new ArqWorkerOptions
{
    LeaseTime = TimeSpan.FromMilliseconds(int.Parse(args[1])),
    MaxJobs = int.Parse(args[2]),
    Burst = args.Length > 3 && args[3] == "burst",
    PollDelay = TimeSpan.FromMilliseconds(50),
};
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var functions = new FunctionRegistry()
    .AddActor(new Sleeper(redis.GetDatabase()))
    .Add("Echo", (object? value) => value)
    .Add("Add", (long a, long b) => a + b)
    .Add("Fail", new Action<string>(message => throw new InvalidOperationException(message)));
var worker = new ArqWorker(redis, functions, options);
Console.WriteLine("ready");
var summary = await worker.RunAsync(stop.Token);
Console.WriteLine(summary);
