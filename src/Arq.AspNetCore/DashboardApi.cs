using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Arq.Dashboard;

/// <summary>
/// What the dashboard's endpoints answer: the page, and the JSON it reads (<c>api/overview</c>, <c>api/history</c>,
/// <c>api/failures</c>, <c>api/queues/{queue}/jobs</c>, <c>api/jobs/{id}</c>), and the actions it posts
/// (<c>api/jobs/{id}/retry|abort|delete</c>). Every read is bounded: a page of a listing, one job, the sampler's last
/// look at the queues; none walks a queue or scans the keyspace.
/// </summary>
internal sealed class DashboardApi(ArqClient client, ArqDashboardOptions options, DashboardSampler sampler, IAntiforgery antiforgery, string basePath)
{
    private const int MaxPageSize = 200;

    public IResult Page(HttpContext context)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return Results.Content(DashboardPage.Render(context.Request.PathBase + basePath, tokens.HeaderName!, tokens.RequestToken!),
            "text/html; charset=utf-8");
    }

    public async Task<IResult> OverviewAsync()
    {
        var queues = await sampler.CurrentAsync().ConfigureAwait(false);
        var workers = client.GetWorkersAsync();
        var crons = Task.WhenAll(queues.Select(q => client.GetQueue(q.Info.Name).GetCronJobsAsync()));
        return Results.Json(new
        {
            time = client.Options.Clock.GetUtcNow(),
            allowActions = options.AllowActions,
            queues = queues.Select(q => new
            {
                q.Info.Name, q.Info.Queued, q.Info.Deferred, q.Info.InProgress, q.Info.Complete, q.Info.Failed,
                oldestDueSeconds = q.Info.OldestDueAge?.TotalSeconds, q.CompletePerSecond, q.FailedPerSecond, q.Info.Paused, q.Info.Waiting,
            }),
            workers = await workers.ConfigureAwait(false),
            healthChecks = queues.Where(q => q.Info.Health is not null).Select(q => new { queue = q.Info.Name, q.Info.Health!.Time, q.Info.Health.Line }),
            crons = (await crons.ConfigureAwait(false)).SelectMany(c => c),
        });
    }

    public IResult History() => Results.Json(sampler.Points);

    public async Task<IResult> FailuresAsync()
    {
        var queues = await sampler.CurrentAsync().ConfigureAwait(false);
        var lists = await Task.WhenAll(queues.Select(q => client.GetQueue(q.Info.Name).GetRecentFailuresAsync(20))).ConfigureAwait(false);
        return Results.Json(lists.SelectMany(l => l).OrderByDescending(r => r.FinishTime).Take(50).Select(r => new
        {
            id = r.JobId, r.Function, r.Queue, r.Try, error = Shorten(r.Error?.ToString(), 300), r.FinishTime,
        }));
    }

    public async Task<IResult> JobsAsync(string queue, string? listing, long? offset, int? count)
    {
        if (!Enum.TryParse<JobListing>(listing ?? nameof(JobListing.Queued), ignoreCase: true, out var which) || !Enum.IsDefined(which))
            return Error(400, $"No listing '{listing}': use queued, deferred, inprogress, complete, failed or waiting.");
        var size = Math.Clamp(count ?? 50, 1, MaxPageSize);
        var page = await client.GetQueue(queue).GetPageAsync(which, Math.Max(offset ?? 0, 0), size).ConfigureAwait(false);
        return Results.Json(new
        {
            queue, listing = which.ToString(), page.Offset, page.Total, count = size,
            jobs = page.Jobs.Select(j => new
            {
                id = j.Job.Id, status = j.Status.ToString(), j.Definition?.Function,
                args = Shorten(Arguments(j.Definition), 120), j.Definition?.Try, j.Definition?.EnqueueTime, j.Definition?.DueTime,
                (j.Definition as JobResult)?.FinishTime, (j.Definition as JobResult)?.Success,
                error = Shorten((j.Definition as JobResult)?.Error?.ToString(), 200), j.Problem,
            }),
        });
    }

    public async Task<IResult> JobAsync(string id, string? queue)
    {
        var job = client.GetJob(id, queue);
        var status = await job.GetStatusAsync().ConfigureAwait(false);
        // A dead letter outlives the result it keeps.
        var result = await job.GetResultInfoAsync().ConfigureAwait(false) ?? await client.GetQueue(queue).GetFailedJobAsync(id).ConfigureAwait(false);
        var definition = result ?? await job.GetInfoAsync().ConfigureAwait(false);
        if (definition is null && status == JobStatus.NotFound)
            return Error(404, $"No job {id} is queued on {job.Queue}, running or has a result.");
        var streams = result is null ? null : await job.GetStreamsAsync().ConfigureAwait(false);
        return Results.Json(new
        {
            id, queue = result?.Queue ?? job.Queue, status = status.ToString(), allowActions = options.AllowActions,
            definition?.Function, definition?.Try, definition?.EnqueueTime, definition?.DueTime,
            args = definition?.Args.Select(a => a.ToString()), kwargs = definition?.Kwargs.ToDictionary(k => k.Key, k => k.Value.ToString()),
            result?.Success, result = result?.Success == true ? result.Result.ToString() : null, error = result?.Error?.ToString(),
            result?.StartTime, result?.FinishTime,
            streams = streams?.Records.Select(r => new { stream = r.Stream.ToString(), r.Message, r.Time }),
        });
    }

    public async Task<IResult> ActAsync(HttpContext context, string id, string action, string? queue)
    {
        if (!options.AllowActions)
            return Error(403, "The dashboard is read-only: map it with AllowActions (Start-ArqDashboard -AllowActions) to retry, abort or delete jobs.");
        if (context.User.Identity?.IsAuthenticated != true)
            return Error(403, "Actions need a signed-in user: map the dashboard with .RequireAuthorization(...).");
        try
        {
            await antiforgery.ValidateRequestAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return Error(400, "The action carries no valid antiforgery token: take it from the dashboard's page.");
        }
        var job = client.GetJob(id, queue);
        switch (action)
        {
            case "abort":
                // Only a job that may still run: arq:abort must not fill up with ids that name nothing.
                var status = await job.GetStatusAsync().ConfigureAwait(false);
                if (status == JobStatus.NotFound) return Error(404, $"No job {id} is queued or running on {job.Queue}.");
                if (status == JobStatus.Complete) return Error(409, $"Job {id} has finished already.");
                await job.RequestAbortAsync().ConfigureAwait(false);
                return Results.Json(new { id, requested = "abort" }, statusCode: 202);
            case "retry":
                // A dead letter goes back under its own id; a failure that is none (Python's, or a worker that keeps
                // none) is enqueued again from its result, under a new one.
                try
                {
                    if (await client.GetQueue(queue).RetryFailedJobAsync(id).ConfigureAwait(false) is { } resubmitted)
                        return Results.Json(new { id, retriedAs = resubmitted.Id }, statusCode: 202);
                }
                catch (InvalidOperationException e)
                {
                    return Error(409, e.Message);
                }
                var failed = await job.GetResultInfoAsync().ConfigureAwait(false);
                if (failed is null || failed.Success) return Error(409, $"Job {id} has no failed result to retry.");
                var again = await client.EnqueueAsync(failed.Function, failed.Args.Select(a => a.ToObject()).ToArray(),
                    failed.Kwargs.ToDictionary(k => k.Key, k => k.Value.ToObject()), new EnqueueOptions { Queue = failed.Queue }).ConfigureAwait(false);
                return Results.Json(new { id, retriedAs = again?.Id }, statusCode: 202);
            case "delete":
                try
                {
                    return await job.DeleteAsync().ConfigureAwait(false)
                        ? Results.Json(new { id, deleted = true })
                        : Error(404, $"No job {id} on {job.Queue} to delete.");
                }
                catch (InvalidOperationException e)
                {
                    return Error(409, e.Message);
                }
            default:
                return Error(404, $"No action '{action}': use retry, abort or delete.");
        }
    }

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static string Arguments(JobDefinition? job) => job is null ? "" :
        string.Join(", ", job.Args.Select(a => a.ToString()).Concat(job.Kwargs.Select(k => $"{k.Key}={k.Value}")));

    private static string? Shorten(string? text, int length) => text is null || text.Length <= length ? text : text[..(length - 1)] + "…";
}
