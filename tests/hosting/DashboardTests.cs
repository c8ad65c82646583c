using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Arq.Tests.Hosting;

/// <summary>The dashboard of Arq.AspNetCore as the sample maps it, behind the "ops" policy with actions allowed,
/// through WebApplicationFactory on a real redis-server.</summary>
public sealed class DashboardTests : IAsyncDisposable
{
    private readonly RedisTestDatabase db = RedisTestServer.Shared.CreateDatabase();
    private readonly SampleFactory factory;

    public DashboardTests() => factory = new SampleFactory(db);

    private IArqClient Arq => factory.Services.GetRequiredService<IArqClient>();

    private HttpClient Browser(string? role)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        if (role is not null) client.DefaultRequestHeaders.Add(SampleFactory.RoleHeader, role);
        return client;
    }

    [Fact]
    public async Task Anonymous_requests_are_refused_and_only_the_policys_role_gets_in()
    {
        var anonymous = Browser(null);
        var guest = Browser("guest");
        var operatorBrowser = Browser("ops");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/arq")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/arq/api/overview")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/arq/api/jobs/any/delete", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await guest.GetAsync("/arq/api/overview")).StatusCode);
        var page = await operatorBrowser.GetAsync("/arq");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>Arq dashboard</title>", html);
        Assert.Contains("<base href=\"/arq/\">", html);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task An_action_without_the_pages_antiforgery_token_is_refused()
    {
        var job = (await Arq.EnqueueAsync("Reports.Build", ["later"], null, new EnqueueOptions { DeferBy = TimeSpan.FromHours(1) }))!;
        var browser = Browser("ops");
        var abort = $"/arq/api/jobs/{job.Id}/abort?queue={Uri.EscapeDataString(job.Queue)}";

        var forged = await browser.PostAsync(abort, null);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("antiforgery", await forged.Content.ReadAsStringAsync());
        Assert.Equal(JobStatus.Deferred, await job.GetStatusAsync());

        var (header, token) = Antiforgery(await browser.GetStringAsync("/arq"));
        using var request = new HttpRequestMessage(HttpMethod.Post, abort) { Headers = { { header, token } } };
        var taken = await browser.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, taken.StatusCode);
        // The sample's worker acts on it: the job is made due, then aborted.
        Assert.Equal(JobErrorTypes.Cancelled, (await job.WaitAsync(TimeSpan.FromSeconds(20))).Error!.Type);
    }

    [Fact]
    public async Task A_queue_of_100000_jobs_pages_from_either_end()
    {
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var ids = Enumerable.Range(0, 100_000).Select(i => $"bulk-{i:D6}").ToList();
        foreach (var chunk in ids.Chunk(10_000))
            await Arq.EnqueueManyAsync(chunk.Select(id => new JobRequest("Reports.Build", [id], null,
                new EnqueueOptions { Queue = "bulk", JobId = id, DeferUntil = start.AddMilliseconds(int.Parse(id[5..])) })));
        var browser = Browser("ops");

        var first = await browser.GetFromJsonAsync<JsonElement>("/arq/api/queues/bulk/jobs?listing=queued&offset=0&count=50");
        var last = await browser.GetFromJsonAsync<JsonElement>("/arq/api/queues/bulk/jobs?listing=queued&offset=99950&count=50");
        var deferred = await browser.GetFromJsonAsync<JsonElement>("/arq/api/queues/bulk/jobs?listing=deferred");

        Assert.Equal(100_000, first.GetProperty("total").GetInt64());
        Assert.Equal(ids.Take(50), first.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        Assert.Equal(ids.Skip(99_950), last.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        Assert.Equal("Reports.Build", last.GetProperty("jobs")[49].GetProperty("function").GetString());
        Assert.Equal("\"bulk-099999\"", last.GetProperty("jobs")[49].GetProperty("args").GetString());
        Assert.Equal(0, deferred.GetProperty("total").GetInt64());
        await Eventually.Until(async () => (await browser.GetFromJsonAsync<JsonElement>("/arq/api/overview")).GetProperty("queues").EnumerateArray()
            .Any(q => q.GetProperty("name").GetString() == "bulk" && q.GetProperty("queued").GetInt64() == 100_000), "the overview counting the queue");
    }

    [Fact]
    public async Task A_failed_jobs_page_shows_its_arguments_and_error_and_an_operator_retries_it()
    {
        var job = (await Arq.EnqueueAsync("Reports.Build", ["acme"], new Dictionary<string, object?> { ["seconds"] = "soon" }))!;
        var failure = await job.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(failure.Success);
        var browser = Browser("ops");

        var shown = await browser.GetFromJsonAsync<JsonElement>($"/arq/api/jobs/{job.Id}");
        var failed = await browser.GetFromJsonAsync<JsonElement>("/arq/api/queues/arq%3Aqueue/jobs?listing=failed");
        var (header, token) = Antiforgery(await browser.GetStringAsync("/arq"));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/arq/api/jobs/{job.Id}/retry") { Headers = { { header, token } } };
        var retried = await (await browser.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(("Complete", "Reports.Build", false), (shown.GetProperty("status").GetString(), shown.GetProperty("function").GetString(), shown.GetProperty("success").GetBoolean()));
        Assert.Equal(["\"acme\""], shown.GetProperty("args").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("\"soon\"", shown.GetProperty("kwargs").GetProperty("seconds").GetString());
        Assert.Contains("seconds", shown.GetProperty("error").GetString());
        Assert.Equal(1, shown.GetProperty("try").GetInt64());
        Assert.Equal(job.Id, failed.GetProperty("jobs")[0].GetProperty("id").GetString());
        var again = Arq.GetJob(retried.GetProperty("retriedAs").GetString()!);
        Assert.Equal("soon", (await again.GetInfoAsync())!.Kwargs["seconds"].Deserialize<string>());
    }

    /// <summary>The antiforgery header and token the page carries for its actions.</summary>
    private static (string Header, string Token) Antiforgery(string page)
    {
        var token = DashboardPageToken.Read(page);
        Assert.True(token.HasValue, "the page carries an antiforgery token");
        return token.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
        db.Dispose();
    }
}
