using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Arq.Dashboard;
using Arq.Protocol;

namespace Arq.Tests.Worker;

/// <summary>The dashboard's page and JSON endpoints, served over HTTP against real Redis.</summary>
public sealed class DashboardTests : WorkerTest
{
    private static readonly HttpClient Http = new();

    private async Task<(Uri Address, CancellationTokenSource Stop, Task Run)> StartAsync(bool allowActions = false)
    {
        var dashboard = new ArqDashboard(Client, new ArqDashboardOptions { Port = 0, AllowActions = allowActions, SampleInterval = TimeSpan.FromMilliseconds(100) });
        var stop = new CancellationTokenSource();
        var run = dashboard.RunAsync(stop.Token);
        await Until(async () => (await Http.GetAsync(dashboard.Address)).IsSuccessStatusCode, "the dashboard answers");
        return (dashboard.Address, stop, run);
    }

    [Fact]
    public async Task On_loopback_the_dashboard_answers_to_localhost_as_to_127_0_0_1()
    {
        var (address, stop, run) = await StartAsync();

        var byName = await Http.GetAsync(new UriBuilder(address) { Host = "localhost" }.Uri);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(System.Net.HttpStatusCode.OK, byName.StatusCode);
        Assert.Contains("<title>Arq dashboard</title>", await byName.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_page_and_the_JSON_endpoints_show_queues_failures_and_jobs_and_refuse_actions_when_read_only()
    {
        var done = (await Client.EnqueueAsync("Calculator.Add", 2, 2))!;
        var failed = (await Client.EnqueueAsync("Calculator.Fail", "disk full"))!;
        await RunBurstAsync();
        var (address, stop, run) = await StartAsync();

        var page = await Http.GetStringAsync(address);
        var overview = await Http.GetFromJsonAsync<JsonElement>(new Uri(address, "api/overview"));
        var failures = await Http.GetFromJsonAsync<JsonElement>(new Uri(address, "api/failures"));
        var job = await Http.GetFromJsonAsync<JsonElement>(new Uri(address, $"api/jobs/{done.Id}"));
        var missing = await Http.GetAsync(new Uri(address, "api/jobs/no-such-job"));
        var retry = await Http.PostAsync(new Uri(address, $"api/jobs/{failed.Id}/retry"), null);
        await Until(async () => (await Http.GetFromJsonAsync<JsonElement>(new Uri(address, "api/history"))).GetArrayLength() >= 2, "the charts have two points");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("127.0.0.1", address.Host);
        Assert.Contains("<title>Arq dashboard</title>", page);
        Assert.DoesNotContain("https://", page); // the page loads nothing from the internet
        Assert.DoesNotContain("src=\"http", page);
        var queue = overview.GetProperty("queues")[0];
        Assert.Equal((ArqKeys.DefaultQueue, 1, 1), (queue.GetProperty("name").GetString(), queue.GetProperty("complete").GetInt64(), queue.GetProperty("failed").GetInt64()));
        Assert.False(overview.GetProperty("allowActions").GetBoolean());
        var failure = failures[0];
        Assert.Equal((failed.Id, "InvalidOperationException: disk full"), (failure.GetProperty("id").GetString(), failure.GetProperty("error").GetString()));
        Assert.Equal(("Complete", "4", true), (job.GetProperty("status").GetString(), job.GetProperty("result").GetString(), job.GetProperty("success").GetBoolean()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, retry.StatusCode);
        Assert.Contains("read-only", await retry.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_actions_allowed_a_failed_job_is_retried_and_a_waiting_job_aborted()
    {
        var failed = (await Client.EnqueueAsync("Calculator.Fail", "flaky"))!;
        await RunBurstAsync();
        var waiting = (await Client.EnqueueAsync("Calculator.Add", [1, 1], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        var (address, stop, run) = await StartAsync(allowActions: true);

        var retry = await Http.PostAsync(new Uri(address, $"api/jobs/{failed.Id}/retry"), null);
        var abort = await Http.PostAsync(new Uri(address, $"api/jobs/{waiting.Id}/abort"), null);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var again = Client.GetJob((await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retriedAs").GetString()!);
        Assert.Equal(JobStatus.Queued, await again.GetStatusAsync());
        Assert.Equal(["flaky"], (await again.GetInfoAsync())!.Args.Select(a => a.Deserialize<string>()));
        Assert.Equal(HttpStatusCode.Accepted, abort.StatusCode);
        Assert.NotNull(await Redis.SortedSetScoreAsync(ArqKeys.Abort, waiting.Id));
    }
}
