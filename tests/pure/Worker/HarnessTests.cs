using Arq.Testing;
using Arq.Worker;

namespace Arq.Tests.Worker;

/// <summary>The test harness the way a user's xunit test uses it: no Redis, the real actor binding and codec.</summary>
public sealed class HarnessTests
{
    /// <summary>A user's actor with a dependency of its own, as in the README.</summary>
    public sealed class Greeter(string greeting)
    {
        public List<string> Greeted { get; } = [];

        [JobFunction]
        public string Greet(string name, bool loud = false)
        {
            Greeted.Add(name);
            return loud ? $"{greeting.ToUpperInvariant()} {name.ToUpperInvariant()}!" : $"{greeting} {name}";
        }

        [JobFunction]
        public void Explode(string why) => throw new InvalidOperationException(why);

        [JobFunction]
        public int Letters(string name) => name.Length;
    }

    [Fact]
    public async Task A_test_enqueues_runs_and_reads_results_through_the_real_binding()
    {
        var greeter = new Greeter("hello");
        var harness = new ArqTestHarness(new FunctionRegistry().AddActor(greeter));
        var plain = harness.Enqueue("Greeter.Greet", "ann");
        var loud = harness.Broker.Enqueue("Greeter.Greet", ["bob"], new Dictionary<string, object?> { ["loud"] = true })!;

        var summary = await harness.RunAsync();

        Assert.Equal("hello ann", harness.GetResult<string>(plain));
        Assert.Equal("HELLO BOB!", harness.GetResult<string>(loud));
        Assert.Equal(["ann", "bob"], greeter.Greeted.Order());
        Assert.Equal(2, summary.Complete);
        var binding = harness.Enqueue("Greeter.Greet", 42);
        await harness.RunAsync();
        var error = Assert.Throws<JobFailedException>(() => harness.GetResult<string>(binding));
        Assert.Equal(JobErrorTypes.ArgumentBinding, error.Error.Type);
    }

    /// <summary>Application code that takes a client, as a service registered with AddArqClient does.</summary>
    private sealed class Welcome(IArqClient arq)
    {
        public Task<Job?> SignedUpAsync(string name) => arq.EnqueueAsync<Greeter>(g => g.Greet(name, true));
    }

    [Fact]
    public async Task The_harness_stands_in_for_the_client_and_its_job_handles_read_the_broker()
    {
        var harness = new ArqTestHarness(new FunctionRegistry().AddActor(new Greeter("hi")));
        var job = await new Welcome(harness).SignedUpAsync("cy");
        Assert.NotNull(job);
        Assert.Equal(JobStatus.Queued, await job.GetStatusAsync());
        Assert.Equal("Greeter.Greet", (await job.GetInfoAsync())!.Function);

        var letters = await harness.EnqueueAsync<Greeter>(g => g.Letters("cyd")); // a value type, boxed in the expression
        await harness.RunAsync();

        Assert.Equal("HI CY!", await job.GetResultAsync<string>());
        Assert.Equal(3, await letters!.GetResultAsync<int>());
        Assert.Equal(JobStatus.Complete, await harness.GetJob(job.Id).GetStatusAsync());
        Assert.Null(await harness.EnqueueAsync("Greeter.Greet", ["cy"], null, new EnqueueOptions { JobId = job.Id })); // a duplicate
        Assert.True(await job.DeleteAsync());
        Assert.Equal(JobStatus.NotFound, await job.GetStatusAsync());
        await Assert.ThrowsAsync<ResultNotFoundException>(() => job.GetResultAsync());
    }

    [Fact]
    public async Task A_paused_queue_keeps_its_jobs_from_the_harness_until_resumed()
    {
        var greeter = new Greeter("hi");
        var harness = new ArqTestHarness(new FunctionRegistry().AddActor(greeter));
        var job = harness.Enqueue("Greeter.Greet", "ann");

        Assert.True(harness.Broker.Pause());
        Assert.False(harness.Broker.Pause()); // paused already
        var paused = await harness.RunAsync(); // a burst whose queues are all paused ends, leaving their jobs
        var status = harness.GetStatus(job);
        Assert.True(harness.Broker.Resume());
        Assert.False(harness.Broker.Resume());
        await harness.RunAsync();

        Assert.Equal((0, JobStatus.Queued), (paused.Complete, status));
        Assert.Equal("hi ann", harness.GetResult<string>(job));
    }

    [Fact]
    public async Task The_harness_refuses_a_continuation_and_says_to_test_it_against_Redis()
    {
        var harness = new ArqTestHarness(new FunctionRegistry().AddActor(new Greeter("hi")));

        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => harness.EnqueueAsync("Greeter.Greet", ["ann"], null, new EnqueueOptions { After = ["parent"] }));

        Assert.Contains("test them against a Redis server", refused.Message);
    }

    [Fact]
    public async Task In_raise_mode_a_jobs_exception_reaches_the_test()
    {
        var harness = new ArqTestHarness(new FunctionRegistry().AddActor(new Greeter("hi"))) { RaiseExceptions = true };
        var id = harness.Enqueue("Greeter.Explode", "the disk is full");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.RunAsync());

        Assert.Equal("the disk is full", thrown.Message);
        Assert.Contains(nameof(Greeter.Explode), thrown.StackTrace); // the job's own stack, not a wrapper's
        Assert.Equal(JobStatus.Complete, harness.GetStatus(id)); // recorded as failed, as a worker would
        Assert.Throws<JobFailedException>(() => harness.GetResult<object>(id));
    }

    [Fact]
    public void A_result_not_there_yet_says_so()
    {
        var harness = new ArqTestHarness(new FunctionRegistry().AddActor(new Greeter("hi")));
        var id = harness.Enqueue("Greeter.Greet", "ann");

        var error = Assert.Throws<InvalidOperationException>(() => harness.GetResult<string>(id));

        Assert.Equal($"Job {id} has no result; its status is Queued.", error.Message);
    }
}
