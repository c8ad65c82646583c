using Arq.Protocol;
using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Tests.Worker;

/// <summary>A Redis test that runs workers in this process against its own database.</summary>
public abstract class WorkerTest : RedisTest
{
    private FunctionRegistry? functions;

    /// <summary>Whether the actors' methods run through the calls Arq's source generator compiled (true) or by
    /// reflection: the binding and outcome suites run both ways.</summary>
    protected virtual bool GeneratedCalls => true;

    protected FunctionRegistry Functions => functions ??= new FunctionRegistry { UseGeneratedCode = GeneratedCalls }.AddActor<Calculator>();

    protected static ArqWorkerOptions Fast { get; } = new() { PollDelay = TimeSpan.FromMilliseconds(20), ShutdownDelay = TimeSpan.FromSeconds(5) };

    protected ArqWorker CreateWorker(ArqWorkerOptions? options = null) => new(Connection, Functions, options ?? Fast);

    /// <summary>Runs a burst worker until the queues are empty.</summary>
    protected Task<WorkerSummary> RunBurstAsync(ArqWorkerOptions? options = null) =>
        CreateWorker((options ?? Fast) with { Burst = true }).RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Starts a worker that runs until the returned handle is disposed.</summary>
    protected RunningWorker StartWorker(ArqWorkerOptions? options = null) => new(CreateWorker(options));

    private protected async Task<ResultMessage> StoredResultAsync(string jobId)
    {
        var bytes = await Redis.StringGetAsync(ArqKeys.Result(jobId));
        Assert.False(bytes.IsNull, $"no result stored for {jobId}");
        return ResultMessage.Decode((byte[])bytes!);
    }

    protected async Task<long> PttlAsync(RedisKey key) => (long)await Redis.ExecuteAsync("PTTL", key);

    protected async Task AssertJobKeysGoneAsync(string jobId, string queue = ArqKeys.DefaultQueue)
    {
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Job(jobId)), "job key left");
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.InProgress(jobId)), "in-progress key left");
        Assert.False(await Redis.KeyExistsAsync(ArqKeys.Retry(jobId)), "retry key left");
        Assert.Null(await Redis.SortedSetScoreAsync(queue, jobId));
    }

    /// <summary>A worker running in the background; disposing it stops it gracefully.</summary>
    protected sealed class RunningWorker : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();

        public RunningWorker(ArqWorker worker)
        {
            Worker = worker;
            Run = worker.RunAsync(stop.Token);
        }

        public ArqWorker Worker { get; }

        public Task<WorkerSummary> Run { get; }

        public async Task<WorkerSummary> StopAsync()
        {
            await stop.CancelAsync();
            return await Run.WaitAsync(TimeSpan.FromSeconds(30));
        }

        public async ValueTask DisposeAsync()
        {
            if (!Run.IsCompleted) await StopAsync();
            stop.Dispose();
        }
    }
}
