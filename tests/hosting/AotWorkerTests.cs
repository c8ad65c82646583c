using System.Diagnostics;

namespace Arq.Tests.Hosting;

/// <summary>The Native AOT sample worker (samples/AotWorker), as build.ps1 Test publishes it: a native program runs
/// jobs of an actor whose calls the source generator compiled, on a real redis-server.</summary>
public sealed class AotWorkerTests : IDisposable
{
    private readonly RedisTestDatabase db = RedisTestServer.Shared.CreateDatabase();

    [Fact]
    public async Task The_native_worker_runs_jobs_of_each_argument_shape_and_exits_when_the_queue_is_empty()
    {
        var program = Environment.GetEnvironmentVariable("ARQ_AOT_WORKER");
        Assert.SkipWhen(program is null, "build.ps1 Test publishes the Native AOT sample and names it in ARQ_AOT_WORKER.");
        Assert.True(File.Exists(program), $"the published worker at {program}");
        await using var client = await ArqClient.ConnectAsync(db.Url);
        var total = (await client.EnqueueAsync("Prices.Total", [new[] { 1.5, 2.5 }], new Dictionary<string, object?> { ["discount"] = 0.5 }))!;
        var label = (await client.EnqueueAsync("Prices.Label", "tea", 250L))!;
        var count = (await client.EnqueueAsync("Prices.Count", [new List<string> { "a", "b", "c" }], null))!;
        var wrong = (await client.EnqueueAsync("Prices.Count", "not a list"))!;
        var tally = (await client.EnqueueAsync("Stock.Tally", [new[] { new Dictionary<string, long> { ["tea"] = 2 }, new() { ["tea"] = 1, ["milk"] = 4 } }], null))!;
        var fetch = (await client.EnqueueAsync("Stock.Fetch", new Dictionary<long, string> { [7] = "top left" }, 7L, 2L))!;

        var start = new ProcessStartInfo(program!, [db.Url, "--burst"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var worker = Process.Start(start)!;
        var output = await worker.StandardOutput.ReadToEndAsync();
        var errors = await worker.StandardError.ReadToEndAsync();
        await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2.0, await total.GetResultAsync<double>(TimeSpan.Zero));
        Assert.Equal("tea: 2.50", await label.GetResultAsync<string>(TimeSpan.Zero));
        Assert.Equal(3L, await count.GetResultAsync<long>(TimeSpan.Zero));
        var failure = await wrong.WaitAsync(TimeSpan.Zero);
        Assert.Equal(JobErrorTypes.ArgumentBinding, failure.Error!.Type); // the binder's own error, compiled ahead of time too
        Assert.Contains("'items' expects List<String>", failure.Error.Message);
        Assert.Equal(new Dictionary<string, long> { ["tea"] = 3, ["milk"] = 4 }, await tally.GetResultAsync<Dictionary<string, long>>(TimeSpan.Zero));
        Assert.Equal("top left, High", await fetch.GetResultAsync<string>(TimeSpan.Zero)); // a map with integer keys, an enum by number
        Assert.StartsWith("5 complete, 1 failed;", output.Trim());
        Assert.True(worker.ExitCode == 1, $"exit code {worker.ExitCode} (1: a job failed): {output}{errors}");
    }

    public void Dispose()
    {
        db.Dispose();
        GC.SuppressFinalize(this);
    }
}
