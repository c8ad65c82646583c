using Arq.Testing;
using Arq.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Arq.Tests.Worker;

/// <summary>The worker keeps time on <see cref="ArqWorkerOptions.Clock"/> alone: a job's timeout and the shutdown
/// delay pass when that clock says so, not before, however long the test takes in real time.</summary>
public sealed class WorkerClockTests
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FunctionRegistry Stuck() => new FunctionRegistry().Add("stuck", async (CancellationToken token) =>
    {
        started.TrySetResult();
        await Task.Delay(Timeout.Infinite, token);
    }, new JobFunctionSettings { Timeout = TimeSpan.FromMinutes(5), MaxTries = 1 });

    [Fact]
    public async Task A_job_times_out_when_the_workers_clock_has_passed_its_timeout()
    {
        var harness = new ArqTestHarness(Stuck(), new ArqWorkerOptions { Clock = clock });
        var id = harness.Enqueue("stuck");
        var run = harness.RunAsync();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var elapsed = await AdvanceUntil(run, TimeSpan.FromSeconds(10));

        Assert.InRange(elapsed, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)); // never before; soon after, though the machine is slow
        var error = Assert.Throws<JobFailedException>(() => harness.GetResult<object>(id)).Error;
        Assert.Equal(new JobError(JobErrorTypes.Timeout, "job timed out after 300s"), error);
        Assert.Equal(1, (await run).TimedOut);
    }

    [Fact]
    public async Task On_stop_a_running_job_has_the_shutdown_delay_on_the_workers_clock_then_goes_back_to_its_queue()
    {
        var harness = new ArqTestHarness(Stuck(), new ArqWorkerOptions { Clock = clock, ShutdownDelay = TimeSpan.FromMinutes(1) });
        var id = harness.Enqueue("stuck");
        var worker = new ArqWorker(Stuck(), harness.Options with { Burst = false }, null, o => new InMemoryWorkerStore(harness.Broker, o));
        using var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await stop.CancelAsync();
        var elapsed = await AdvanceUntil(run, TimeSpan.FromSeconds(5));

        Assert.InRange(elapsed, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await run).Retried);
        Assert.Equal(JobStatus.Queued, harness.GetStatus(id));
    }

    /// <summary>Moves the clock on by <paramref name="step"/> until <paramref name="task"/> ends; returns how far it
    /// moved. Each step gives the worker real time to act on it, so a task that ends early is seen early.</summary>
    private async Task<TimeSpan> AdvanceUntil(Task task, TimeSpan step)
    {
        var moved = TimeSpan.Zero;
        for (var i = 0; i < 1000 && !task.IsCompleted; i++)
        {
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
            if (task.IsCompleted) break;
            clock.Advance(step);
            moved += step;
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System));
        }
        Assert.True(task.IsCompleted, $"still running after the clock moved {moved}");
        return moved;
    }
}
