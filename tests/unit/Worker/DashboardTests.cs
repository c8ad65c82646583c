using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Arq.Dashboard;
using Arq.Protocol;
using StackExchange.Redis;

namespace Arq.Tests.Worker;

/// <summary>The dashboard's page and JSON endpoints, served over HTTP against real Redis.</summary>
public sealed class DashboardTests : WorkerTest
{
    private static readonly HttpClient Http = new();

    private async Task<(Uri Address, CancellationTokenSource Stop, Task Run)> StartAsync(bool allowActions = false, ArqClient? client = null)
    {
        var dashboard = new ArqDashboard(client ?? Client, new ArqDashboardOptions { Port = 0, AllowActions = allowActions, SampleInterval = TimeSpan.FromMilliseconds(100) });
        var stop = new CancellationTokenSource();
        var run = dashboard.RunAsync(stop.Token);
        await dashboard.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True((await Http.GetAsync(dashboard.Address)).IsSuccessStatusCode, "the dashboard answers once it listens");
        return (dashboard.Address, stop, run);
    }

    /// <summary>An action as the dashboard's page sends it.</summary>
    private static Task<HttpResponseMessage> ActAsync(Uri address, string id, string action)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"api/jobs/{Uri.EscapeDataString(id)}/{action}"));
        request.Headers.Add("X-Arq-Action", action);
        return Http.SendAsync(request);
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
        var retry = await ActAsync(address, failed.Id, "retry");
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

        var retry = await ActAsync(address, failed.Id, "retry");
        var abort = await ActAsync(address, waiting.Id, "abort");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var again = Client.GetJob((await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retriedAs").GetString()!);
        Assert.Equal(JobStatus.Queued, await again.GetStatusAsync());
        Assert.Equal(["flaky"], (await again.GetInfoAsync())!.Args.Select(a => a.Deserialize<string>()));
        Assert.Equal(HttpStatusCode.Accepted, abort.StatusCode);
        Assert.NotNull(await Redis.SortedSetScoreAsync(ArqKeys.Abort, waiting.Id));
    }

    [Fact]
    public async Task An_action_from_another_site_or_for_no_job_is_refused_and_changes_nothing()
    {
        var waiting = (await Client.EnqueueAsync("Calculator.Add", [1, 1], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        var (address, stop, run) = await StartAsync(allowActions: true);

        // What a browser sends for a form on another site that posts to the dashboard.
        var form = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"api/jobs/{waiting.Id}/abort"))
        {
            Content = new FormUrlEncodedContent([]),
        };
        form.Headers.Add("Origin", "http://attacker.example");
        form.Headers.Add("Sec-Fetch-Site", "cross-site");
        var crossSite = await Http.SendAsync(form);
        // A script on another site that copies the page's header: the browser marks it cross-site.
        var script = new HttpRequestMessage(HttpMethod.Post, new Uri(address, $"api/jobs/{waiting.Id}/abort"));
        script.Headers.Add("X-Arq-Action", "abort");
        script.Headers.Add("Sec-Fetch-Site", "cross-site");
        var crossSiteScript = await Http.SendAsync(script);
        var nothing = await ActAsync(address, "no-such-job", "abort");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, crossSiteScript.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
        Assert.Equal(0, await Redis.SortedSetLengthAsync(ArqKeys.Abort));
        Assert.Equal(JobStatus.Deferred, await waiting.GetStatusAsync());
    }

    [Fact]
    public async Task Beyond_loopback_it_asks_for_its_token_and_answers_only_to_its_own_names()
    {
        var dashboard = new ArqDashboard(Client, new ArqDashboardOptions { Port = 0, Bind = "*", HostNames = ["arq.example"] });
        using var stop = new CancellationTokenSource();
        var run = dashboard.RunAsync(stop.Token);
        var token = System.Web.HttpUtility.ParseQueryString(dashboard.Address.Query)["token"];
        var plain = new UriBuilder(dashboard.Address) { Host = "127.0.0.1", Query = "" }.Uri;
        await dashboard.Listening.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.GetAsync(plain)).StatusCode);

        async Task<HttpResponseMessage> GetAsync(string path, string? host = null, string? bearer = null, string? cookie = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(plain, path));
            if (host is not null) request.Headers.Host = host;
            if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
            if (cookie is not null) request.Headers.Add("Cookie", cookie);
            return await Http.SendAsync(request);
        }
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var visit = await noRedirects.GetAsync(new Uri(plain, $"?token={token}"));
        var cookie = visit.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        var withoutToken = await GetAsync("api/overview");
        var wrongToken = await GetAsync("api/overview", bearer: "not-" + token);
        var withToken = await GetAsync("api/overview", bearer: token);
        var withCookie = await GetAsync("api/overview", cookie: cookie);
        var rebound = await GetAsync("api/overview", host: $"attacker.example:{plain.Port}", bearer: token);
        var named = await GetAsync("api/overview", host: $"arq.example:{plain.Port}", bearer: token);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(32, token!.Length);
        Assert.Equal(HttpStatusCode.SeeOther, visit.StatusCode);
        Assert.Equal("/", visit.Headers.Location!.OriginalString);
        Assert.Contains("HttpOnly", visit.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, rebound.StatusCode);
        Assert.Equal(HttpStatusCode.OK, named.StatusCode);
    }

    [Fact]
    public async Task It_shows_and_acts_on_ids_with_colons_and_spaces_and_finds_idle_and_new_queues_but_no_other_sorted_set()
    {
        var cron = (await Client.EnqueueAsync("Calculator.Add", [1, 2], null, new EnqueueOptions { JobId = "cron:report:1700000000000", DeferBy = TimeSpan.FromHours(1) }))!;
        var spaced = (await Client.EnqueueAsync("Calculator.Fail", ["boom"], null, new EnqueueOptions { JobId = "a job id", Queue = "reports" }))!;
        await RunBurstAsync(Fast with { Queues = ["reports"] });
        await Redis.SortedSetAddAsync("leaderboard", "player", 10);
        var (address, stop, run) = await StartAsync(allowActions: true);

        var shown = await Http.GetFromJsonAsync<JsonElement>(new Uri(address, $"api/jobs/{Uri.EscapeDataString(spaced.Id)}"));
        var abort = await ActAsync(address, cron.Id, "abort");
        await Client.EnqueueAsync("Calculator.Add", [1, 1], null, new EnqueueOptions { Queue = "later" });
        // The sampler finds queues again every ten looks; the overview that shows the new one is the one to check.
        var overview = default(JsonElement);
        await Until(async () =>
        {
            overview = await Http.GetFromJsonAsync<JsonElement>(new Uri(address, "api/overview"));
            return overview.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("name").GetString() == "later");
        }, "the queue made after the start shows");
        var failures = await Http.GetFromJsonAsync<JsonElement>(new Uri(address, "api/failures"));
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(("a job id", "Calculator.Fail"), (shown.GetProperty("id").GetString(), shown.GetProperty("function").GetString()));
        Assert.Equal(HttpStatusCode.Accepted, abort.StatusCode);
        Assert.NotNull(await Redis.SortedSetScoreAsync(ArqKeys.Abort, cron.Id));
        Assert.Equal(["arq:queue", "later", "reports"], overview.GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()).Order());
        Assert.Equal("a job id", Assert.Single(failures.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task After_redis_server_restarts_the_counts_move_again()
    {
        using var server = RedisTestServer.StartPrivate()!;
        await using var redis = await ConnectionMultiplexer.ConnectAsync($"{server.ConnectionString},abortConnect=false");
        var client = new ArqClient(redis);
        await client.EnqueueAsync("Calculator.Add", 1, 1);
        var (address, stop, run) = await StartAsync(client: client);
        await Until(async () => await QueuedAsync(address) == 1, "the dashboard sees the first job");

        server.Restart();
        await Until(async () => { try { return await client.EnqueueAsync("Calculator.Add", 2, 2) is not null; } catch (RedisException) { return false; } }, "Redis is back");
        await client.EnqueueAsync("Calculator.Add", 3, 3);
        var queued = (await client.GetQueue().GetInfoAsync()).Queued; // 2, or 3 if the server kept the first job
        await Until(async () => await QueuedAsync(address) == queued, "the dashboard counts the jobs enqueued after the restart");
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        static async Task<long> QueuedAsync(Uri address) =>
            (await Http.GetFromJsonAsync<JsonElement>(new Uri(address, "api/overview"))).GetProperty("queues")[0].GetProperty("queued").GetInt64();
    }
}
