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
