using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Arq.Protocol;

namespace Arq.Dashboard;

/// <summary>
/// A small web dashboard served from this process with <see cref="HttpListener"/> (no server to install, no file
/// from the internet): queue depths and throughput over time, workers' health, recent failures with their errors,
/// a job's details by id, and, when <see cref="ArqDashboardOptions.AllowActions"/>, retry and abort. The page is one
/// embedded HTML file that reads the JSON endpoints <c>/api/overview</c>, <c>/api/history</c>,
/// <c>/api/failures</c> and <c>/api/jobs/{id}</c>; actions are <c>POST /api/jobs/{id}/retry</c> and <c>/abort</c>.
/// </summary>
public sealed class ArqDashboard
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ArqClient client;
    private readonly DashboardHistory history;
    private readonly DashboardGuard guard;

    /// <summary>Creates a dashboard for the queues <paramref name="client"/> reaches.</summary>
    public ArqDashboard(ArqClient client, ArqDashboardOptions? options = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        Options = options ?? new ArqDashboardOptions();
        var port = Options.Port == 0 ? FreePort() : Options.Port;
        var host = Options.Bind is "*" or "0.0.0.0" or "+" ? "+" : Options.Bind;
        var loopback = host is "127.0.0.1" or "localhost" or "::1";
        var token = Options.AccessToken ?? (loopback ? null : Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant());
        Address = new Uri($"http://{(host == "+" ? "localhost" : host)}:{port}/{(token is null ? "" : $"?token={token}")}");
        // HttpListener matches the request's Host header: on loopback, answer to both names a browser may use.
        Prefixes = host is "127.0.0.1" or "localhost" ? [$"http://127.0.0.1:{port}/", $"http://localhost:{port}/"] : [$"http://{host}:{port}/"];
        guard = new DashboardGuard(token, Options.HostNames.Append(Options.Bind));
        history = new DashboardHistory(Options.HistoryLength);
    }

    /// <summary>The settings.</summary>
    public ArqDashboardOptions Options { get; }

    /// <summary>Where to open the dashboard, with the access token when it has one.</summary>
    public Uri Address { get; }

    private IReadOnlyList<string> Prefixes { get; }

    private readonly TaskCompletionSource listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once <see cref="RunAsync"/> listens, so that <see cref="Address"/> answers: the moment to say
    /// where to open it. Fails as <see cref="RunAsync"/> does when the address cannot be listened on.</summary>
    public Task Listening => listening.Task;

    /// <summary>Serves the dashboard until <paramref name="cancellationToken"/> is cancelled.</summary>
    /// <exception cref="ArqException">The address cannot be listened on (in use, or not allowed).</exception>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        HttpListener listener;
        try
        {
            listener = Listen();
        }
        catch (Exception e)
        {
            listening.TrySetException(e);
            throw;
        }
        using var closing = listener;
        listening.TrySetResult();
        using var stop = cancellationToken.Register(listener.Stop);
        var sampling = SampleAsync(cancellationToken);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                break;
            }
            _ = Task.Run(() => ServeAsync(context), CancellationToken.None);
        }
        await sampling.ConfigureAwait(false);
    }

    /// <summary>Starts listening on the prefixes.</summary>
    private HttpListener Listen()
    {
        var listener = new HttpListener();
        foreach (var prefix in Prefixes) listener.Prefixes.Add(prefix);
        try
        {
            listener.Start();
            return listener;
        }
        catch (HttpListenerException e)
        {
            listener.Close();
            throw new ArqException($"The dashboard cannot listen on {string.Join(" and ", Prefixes)}: {e.Message}", e);
        }
        catch (ArgumentNullException e)
        {
            // The runtime's managed HttpListener (Linux, macOS) fails so when a client connects at the very moment it
            // starts; its socket stays bound, so a second try in this process would find the port in use.
            listener.Close();
            throw new ArqException($"The dashboard could not start on {string.Join(" and ", Prefixes)}: a client connected as it started, which .NET's HttpListener cannot take. Start it again.", e);
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var look in client.WatchQueuesAsync(Options.Queues, Options.SampleInterval, cancellationToken).ConfigureAwait(false))
                    history.Add(DateTimeOffset.UtcNow, look);
                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                // Redis went away: the page shows the last points it has and the API calls report the error. Look
                // again after an interval (finding the queues afresh), so the counts move again once Redis is back.
            }
            try
            {
                await Task.Delay(Options.SampleInterval, client.Options.Clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<IReadOnlyList<string>> QueuesAsync() =>
        Options.Queues ?? (await client.FindQueuesAsync().ConfigureAwait(false)).DefaultIfEmpty(client.Options.DefaultQueue).ToList();

    /// <summary>The queues as the sampler last saw them (it reads them every interval); read afresh only before its
    /// first look, so that page requests add no SCAN and no second read of each queue.</summary>
    private async Task<IReadOnlyList<QueueInfo>> CurrentQueuesAsync()
    {
        var latest = history.Latest;
        if (latest.Count > 0) return latest.Values.Select(activity => activity.Info).ToList();
        return await Task.WhenAll((await QueuesAsync().ConfigureAwait(false)).Select(q => client.GetQueue(q).GetInfoAsync())).ConfigureAwait(false);
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var (request, response) = (context.Request, context.Response);
        try
        {
            if (guard.Check(request) is { } refused)
            {
                await WriteAsync(response, refused.Status, ToJson(new { error = refused.Error }), "application/json").ConfigureAwait(false);
                return;
            }
            var path = request.Url!.AbsolutePath.TrimEnd('/');
            if (request.HttpMethod == "GET" && guard.TokenInAddress(request) is { } token)
            {
                // Keep the token in a cookie and out of the address bar, the history and any link's Referer.
                response.AppendHeader("Set-Cookie", $"{DashboardGuard.CookieName}={token}; Path=/; HttpOnly; SameSite=Strict");
                response.RedirectLocation = path.Length == 0 ? "/" : path;
                await WriteAsync(response, 303, "", "text/plain").ConfigureAwait(false);
                return;
            }
            // Ids are escaped in the address (cron jobs' hold ':', anyone's may hold spaces or '/').
            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            var (status, body, type) = (request.HttpMethod, segments) switch
            {
                ("GET", []) => (200, DashboardPage.Html, "text/html; charset=utf-8"),
                ("GET", ["api", "overview"]) => (200, ToJson(await OverviewAsync().ConfigureAwait(false)), "application/json"),
                ("GET", ["api", "history"]) => (200, ToJson(history.Points), "application/json"),
                ("GET", ["api", "failures"]) => (200, ToJson(await FailuresAsync().ConfigureAwait(false)), "application/json"),
                ("GET", ["api", "jobs", var id]) => await JobAsync(id).ConfigureAwait(false),
                ("POST", ["api", "jobs", var id, var action]) => await ActAsync(id, action).ConfigureAwait(false),
                _ => (404, ToJson(new { error = $"No such page: {request.HttpMethod} {path}" }), "application/json"),
            };
            await WriteAsync(response, status, body, type).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await WriteAsync(response, 500, ToJson(new { error = e.Message }), "application/json").ConfigureAwait(false);
        }
    }

    private async Task<object> OverviewAsync()
    {
        var queues = await CurrentQueuesAsync().ConfigureAwait(false);
        var latest = history.Latest;
        var crons = await Task.WhenAll(queues.Select(q => client.GetQueue(q.Name).GetCronJobsAsync())).ConfigureAwait(false);
        return new
        {
            time = DateTimeOffset.UtcNow,
            allowActions = Options.AllowActions,
            queues = queues.Select(q => new
            {
                q.Name, q.Queued, q.Deferred, q.InProgress, q.Complete, q.Failed,
                oldestDueSeconds = q.OldestDueAge?.TotalSeconds,
                completePerSecond = latest.GetValueOrDefault(q.Name)?.CompletePerSecond ?? 0,
                failedPerSecond = latest.GetValueOrDefault(q.Name)?.FailedPerSecond ?? 0,
            }),
            workers = queues.Where(q => q.Health is not null).Select(q => new
            {
                queue = q.Name, q.Health!.Time, q.Health.Complete, q.Health.Failed, q.Health.Retried, q.Health.Ongoing, q.Health.Queued,
            }),
            crons = crons.SelectMany(c => c),
        };
    }

    private async Task<object> FailuresAsync()
    {
        var lists = await Task.WhenAll((await CurrentQueuesAsync().ConfigureAwait(false)).Select(q => client.GetQueue(q.Name).GetRecentFailuresAsync(20))).ConfigureAwait(false);
        return lists.SelectMany(l => l).OrderByDescending(r => r.FinishTime).Take(50).Select(r => new
        {
            id = r.JobId, r.Function, r.Queue, r.Try, error = r.Error?.ToString(), r.FinishTime,
        });
    }

    private async Task<(int, string, string)> JobAsync(string id)
    {
        var job = client.GetJob(id);
        var status = await job.GetStatusAsync().ConfigureAwait(false);
        var result = await job.GetResultInfoAsync().ConfigureAwait(false);
        JobDefinition? definition = result ?? await job.GetInfoAsync().ConfigureAwait(false);
        if (definition is null && status == JobStatus.NotFound)
            return (404, ToJson(new { error = $"No job {id} is queued, running or has a result." }), "application/json");
        return (200, ToJson(new
        {
            id, status = status.ToString(), definition?.Function, definition?.Try, definition?.EnqueueTime, definition?.DueTime,
            args = definition?.Args.Select(a => a.ToString()), kwargs = definition?.Kwargs.ToDictionary(k => k.Key, k => k.Value.ToString()),
            success = result?.Success, result = result?.Success == true ? result.Result.ToString() : null, error = result?.Error?.ToString(),
            result?.StartTime, result?.FinishTime, result?.Queue,
        }), "application/json");
    }

    private async Task<(int, string, string)> ActAsync(string id, string action)
    {
        if (!Options.AllowActions)
            return (403, ToJson(new { error = "The dashboard is read-only: start it with AllowActions (-AllowActions) to retry or abort jobs." }), "application/json");
        var job = client.GetJob(id);
        switch (action)
        {
            case "abort":
                // Only a job that may still run: arq:abort must not fill up with ids that name nothing.
                var status = await job.GetStatusAsync().ConfigureAwait(false);
                if (status == JobStatus.NotFound)
                    return (404, ToJson(new { error = $"No job {id} is queued or running." }), "application/json");
                if (status == JobStatus.Complete)
                    return (409, ToJson(new { error = $"Job {id} has finished already." }), "application/json");
                await job.RequestAbortAsync().ConfigureAwait(false);
                return (202, ToJson(new { id, requested = "abort" }), "application/json");
            case "retry":
                var failed = await job.GetResultInfoAsync().ConfigureAwait(false);
                if (failed is null || failed.Success)
                    return (409, ToJson(new { error = $"Job {id} has no failed result to retry." }), "application/json");
                var again = await client.EnqueueAsync(failed.Function, failed.Args.Select(a => a.ToObject()).ToArray(),
                    failed.Kwargs.ToDictionary(k => k.Key, k => k.Value.ToObject()), new EnqueueOptions { Queue = failed.Queue }).ConfigureAwait(false);
                return (202, ToJson(new { id, retriedAs = again?.Id }), "application/json");
            default:
                return (404, ToJson(new { error = $"No action '{action}': use retry or abort." }), "application/json");
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string body, string type)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            response.StatusCode = status;
            response.ContentType = type;
            response.Headers["Cache-Control"] = "no-store";
            response.Headers["Content-Security-Policy"] = "default-src 'self' 'unsafe-inline'"; // nothing from elsewhere
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The browser went away.
        }
        finally
        {
            response.Close();
        }
    }

    private static string ToJson(object value) => JsonSerializer.Serialize(value, Json);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
