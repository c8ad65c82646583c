using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Arq.Dashboard;
using Arq.Protocol;
using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Tests.Hosting;

/// <summary>The dashboard as Start-ArqDashboard serves it: ArqDashboardServer on Kestrel, over real HTTP, on a real
/// redis-server.</summary>
public sealed class DashboardServerTests : IAsyncLifetime
{
    private readonly RedisTestDatabase db = RedisTestServer.Shared.CreateDatabase();
    private readonly List<ArqDashboardServer> servers = [];
    private ConnectionMultiplexer connection = null!;
    private ArqClient client = null!;

    public async ValueTask InitializeAsync()
    {
        connection = await ConnectionMultiplexer.ConnectAsync(db.ConnectionString);
        client = new ArqClient(connection);
    }

    private IDatabase Redis => connection.GetDatabase(db.Number);

    private Task RunBurstAsync(string queue = ArqKeys.DefaultQueue) =>
        new ArqWorker(connection, new FunctionRegistry()
                .Add("Calculator.Add", (int a, int b) => a + b)
                .Add("Calculator.Fail", new Func<string, int>(why => throw new InvalidOperationException(why))),
            new ArqWorkerOptions { Burst = true, MaxTries = 1, Queues = [queue] }).RunAsync();

    /// <summary>A browser on a served dashboard: it keeps cookies, sends the token a user got in the address, and
    /// posts actions as the page does, with its antiforgery token.</summary>
    private sealed class Browser(Uri address) : IDisposable
    {
        private readonly HttpClient http = new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true })
        {
            BaseAddress = new Uri(address.GetLeftPart(UriPartial.Path)),
        };

        public string? Token { get; } = address.Query is { Length: > 1 } query ? query["?token=".Length..] : null;

        public Task<HttpResponseMessage> GetAsync(string path) => http.SendAsync(Authorized(new HttpRequestMessage(HttpMethod.Get, path)));

        public async Task<JsonElement> GetJsonAsync(string path) => await (await GetAsync(path)).Content.ReadFromJsonAsync<JsonElement>();

        public async Task<HttpResponseMessage> ActAsync(string id, string action, string? queue = null)
        {
            var page = await (await GetAsync("")).Content.ReadAsStringAsync();
            var request = Authorized(new HttpRequestMessage(HttpMethod.Post, $"api/jobs/{Uri.EscapeDataString(id)}/{action}{(queue is null ? "" : $"?queue={Uri.EscapeDataString(queue)}")}"));
            if (DashboardPageToken.Read(page) is var (header, token)) request.Headers.Add(header, token);
            return await http.SendAsync(request);
        }

        private HttpRequestMessage Authorized(HttpRequestMessage request)
        {
            if (Token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            return request;
        }

        public void Dispose() => http.Dispose();
    }

    private async Task<ArqDashboardServer> ServeAsync(bool allowActions = false, ArqClient? on = null, string bind = "127.0.0.1", string[]? hostNames = null)
    {
        var server = await ArqDashboardServer.StartAsync(on ?? client, new ArqDashboardServerOptions
        {
            Port = 0, Bind = bind, HostNames = hostNames ?? [],
            Dashboard = new ArqDashboardOptions { AllowActions = allowActions, SampleInterval = TimeSpan.FromMilliseconds(100) },
        }, CancellationToken.None);
        servers.Add(server);
        return server;
    }

    [Fact]
    public async Task Read_only_on_loopback_it_needs_no_token_answers_to_localhost_and_refuses_actions()
    {
        var done = (await client.EnqueueAsync("Calculator.Add", 2, 2))!;
        var failed = (await client.EnqueueAsync("Calculator.Fail", "disk full"))!;
        await RunBurstAsync();
        var server = await ServeAsync();
        using var browser = new Browser(server.Address);
        using var byName = new Browser(new UriBuilder(server.Address) { Host = "localhost" }.Uri);

        var page = await (await browser.GetAsync("")).Content.ReadAsStringAsync();
        var overview = await browser.GetJsonAsync("api/overview");
        var failures = await browser.GetJsonAsync("api/failures");
        var job = await browser.GetJsonAsync($"api/jobs/{done.Id}");
        var missing = await browser.GetAsync("api/jobs/no-such-job");
        var retry = await browser.ActAsync(failed.Id, "retry");
        await Eventually.Until(async () => (await browser.GetJsonAsync("api/history")).GetArrayLength() >= 2, "the charts have two points");

        Assert.Equal(("127.0.0.1", ""), (server.Address.Host, server.Address.Query));
        Assert.Contains("<title>Arq dashboard</title>", page);
        Assert.DoesNotContain("https://", page); // the page loads nothing from the internet
        Assert.Equal(HttpStatusCode.OK, (await byName.GetAsync("")).StatusCode);
        var queue = overview.GetProperty("queues")[0];
        Assert.Equal((ArqKeys.DefaultQueue, 1, 1), (queue.GetProperty("name").GetString(), queue.GetProperty("complete").GetInt64(), queue.GetProperty("failed").GetInt64()));
        Assert.False(overview.GetProperty("allowActions").GetBoolean());
        Assert.Equal((failed.Id, "InvalidOperationException: disk full"), (failures[0].GetProperty("id").GetString(), failures[0].GetProperty("error").GetString()));
        Assert.Equal(("Complete", "4", true), (job.GetProperty("status").GetString(), job.GetProperty("result").GetString(), job.GetProperty("success").GetBoolean()));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, retry.StatusCode);
        Assert.Contains("read-only", await retry.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_actions_it_makes_a_token_and_the_tokens_holder_retries_aborts_and_deletes()
    {
        var failed = (await client.EnqueueAsync("Calculator.Fail", "flaky"))!;
        await RunBurstAsync();
        var waiting = (await client.EnqueueAsync("Calculator.Add", [1, 1], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        var doomed = (await client.EnqueueAsync("Calculator.Add", [2, 2], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        var server = await ServeAsync(allowActions: true);
        using var holder = new Browser(server.Address);
        using var stranger = new Browser(new Uri(server.Address.GetLeftPart(UriPartial.Path)));

        var refused = await stranger.ActAsync(waiting.Id, "abort");
        var retry = await holder.ActAsync(failed.Id, "retry");
        var abort = await holder.ActAsync(waiting.Id, "abort");
        var delete = await holder.ActAsync(doomed.Id, "delete");
        var nothing = await holder.ActAsync("no-such-job", "abort");

        Assert.Equal(32, holder.Token!.Length);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var again = client.GetJob((await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retriedAs").GetString()!);
        Assert.Equal(["flaky"], (await again.GetInfoAsync())!.Args.Select(a => a.Deserialize<string>()));
        Assert.Equal(HttpStatusCode.Accepted, abort.StatusCode);
        Assert.NotNull(await Redis.SortedSetScoreAsync(ArqKeys.Abort, waiting.Id));
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Equal(JobStatus.NotFound, await doomed.GetStatusAsync());
        Assert.Equal(HttpStatusCode.NotFound, nothing.StatusCode);
    }

    [Fact]
    public async Task Beyond_loopback_it_asks_for_its_token_and_answers_only_to_its_own_names()
    {
        var server = await ServeAsync(bind: "*", hostNames: ["arq.example"]);
        var token = server.Address.Query["?token=".Length..];
        var plain = new UriBuilder(server.Address) { Host = "127.0.0.1", Query = "" }.Uri;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

        async Task<HttpResponseMessage> GetAsync(string path, string? host = null, string? bearer = null, string? cookie = null)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(plain, path));
            if (host is not null) request.Headers.Host = host;
            if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
            if (cookie is not null) request.Headers.Add("Cookie", cookie);
            return await http.SendAsync(request);
        }
        var visit = await http.GetAsync(new Uri(plain, $"?token={token}"));
        var cookie = visit.Headers.GetValues("Set-Cookie").Single().Split(';')[0];

        Assert.Equal(32, token.Length);
        Assert.Equal(HttpStatusCode.SeeOther, visit.StatusCode);
        Assert.Equal("/", visit.Headers.Location!.OriginalString);
        Assert.Contains("httponly", visit.Headers.GetValues("Set-Cookie").Single());
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("api/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("api/overview", bearer: "not-" + token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("api/overview", bearer: token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("api/overview", cookie: cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await GetAsync("api/overview", host: $"attacker.example:{plain.Port}", bearer: token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("api/overview", host: $"arq.example:{plain.Port}", bearer: token)).StatusCode);
    }

    [Fact]
    public async Task It_shows_and_acts_on_ids_with_colons_and_spaces_and_finds_idle_and_new_queues_but_no_other_sorted_set()
    {
        var cron = (await client.EnqueueAsync("Calculator.Add", [1, 2], null, new EnqueueOptions { JobId = "cron:report:1700000000000", DeferBy = TimeSpan.FromHours(1) }))!;
        var spaced = (await client.EnqueueAsync("Calculator.Fail", ["boom"], null, new EnqueueOptions { JobId = "a job id", Queue = "reports" }))!;
        await RunBurstAsync("reports");
        await Redis.SortedSetAddAsync("leaderboard", "player", 10);
        var server = await ServeAsync(allowActions: true);
        using var browser = new Browser(server.Address);

        var shown = await browser.GetJsonAsync($"api/jobs/{Uri.EscapeDataString(spaced.Id)}?queue=reports");
        var abort = await browser.ActAsync(cron.Id, "abort");
        await client.EnqueueAsync("Calculator.Add", [1, 1], null, new EnqueueOptions { Queue = "later" });
        // The sampler finds queues again every sixty looks; the overview that shows the new one is the one to check.
        var overview = default(JsonElement);
        await Eventually.Until(async () =>
        {
            overview = await browser.GetJsonAsync("api/overview");
            return overview.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("name").GetString() == "later");
        }, "the queue made after the start shows");
        var failures = await browser.GetJsonAsync("api/failures");

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
        var own = new ArqClient(redis);
        await own.EnqueueAsync("Calculator.Add", 1, 1);
        using var browser = new Browser((await ServeAsync(on: own)).Address);
        async Task<long> QueuedAsync() => (await browser.GetJsonAsync("api/overview")).GetProperty("queues")[0].GetProperty("queued").GetInt64();
        await Eventually.Until(async () => await QueuedAsync() == 1, "the dashboard sees the first job");

        server.Restart();
        await Eventually.Until(async () => { try { return await own.EnqueueAsync("Calculator.Add", 2, 2) is not null; } catch (RedisException) { return false; } }, "Redis is back");
        await own.EnqueueAsync("Calculator.Add", 3, 3);
        var queued = (await own.GetQueue().GetInfoAsync()).Queued; // 2, or 3 if the server kept the first job
        await Eventually.Until(async () => await QueuedAsync() == queued, "the dashboard counts the jobs enqueued after the restart");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers) await server.DisposeAsync();
        await connection.DisposeAsync();
        db.Dispose();
    }
}
