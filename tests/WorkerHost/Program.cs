using Arq;
using Arq.Worker;
using Arq.Supervision;
using Arq.WorkerHost;
using StackExchange.Redis;

// Usage: Arq.WorkerHost <redis> <lease ms> <max jobs> [burst|run] [rate limit]
// Runs the Sleeper actor and Echo, Add and Fail until stopped (or, with "burst", until the queue is empty), at most
// the rate limit's jobs a period when one is given ("10/s"); prints "ready" once started.
// Usage: Arq.WorkerHost executor
// Runs as an executor (Arq.Core's ExecutorHost) with the same functions, for the supervisor's tests.
if (args is ["executor"])
{
    return await ExecutorHost.RunAsync(Console.In, Console.Out, (settings, registry, log) =>
    {
        // Stands in for actors that do not load, for the supervisor's test of that case.
        if (settings.ScriptPath is { } script) throw new ActorLoadException($"{script}: this test host loads no scripts.");
        // The test functions' own connection; the executor host makes and checks the worker's.
        var options = RedisConnector.Parse(settings.Redis);
        options.AbortOnConnectFail = false;
        var connection = ConnectionMultiplexer.Connect(options);
        TestFunctions.Register(registry, connection.GetDatabase());
        return connection;
    });
}
var redis = await ConnectionMultiplexer.ConnectAsync(RedisConnector.Parse(args[0]));
var options = new ArqWorkerOptions
{
    LeaseTime = TimeSpan.FromMilliseconds(int.Parse(args[1])),
    MaxJobs = int.Parse(args[2]),
    Burst = args.Length > 3 && args[3] == "burst",
    PollDelay = TimeSpan.FromMilliseconds(50),
    RateLimit = args.Length > 4 ? RateLimit.Parse(args[4]) : null,
};
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
var functions = new FunctionRegistry();
TestFunctions.Register(functions, redis.GetDatabase());
var worker = new ArqWorker(redis, functions, options);
Console.WriteLine("ready");
var summary = await worker.RunAsync(stop.Token);
Console.WriteLine(summary);
return 0;
