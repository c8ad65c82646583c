using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Arq.Hosting;

/// <summary>
/// Healthy while this host's worker runs and reads its queues: unhealthy once it stopped or failed, or when it has
/// not read them for three poll delays and ten seconds (Redis unreachable, or the poll loop stuck).
/// </summary>
internal sealed class WorkerHealthCheck(ArqWorkerService? service) : IHealthCheck
{
    internal static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check(context.Registration.FailureStatus));

    private HealthCheckResult Check(HealthStatus failure)
    {
        if (service is null) return HealthCheckResult.Healthy("No Arq worker runs in this host.");
        if (service.ExecuteTask is { IsCompleted: true } ended)
            return new HealthCheckResult(failure, ended.Exception is { } e
                ? $"The Arq worker failed: {e.GetBaseException().Message}"
                : "The Arq worker has stopped.", ended.Exception?.GetBaseException());
        if (service.Worker is not { } worker || worker.LastPoll is not { } lastPoll)
            return HealthCheckResult.Degraded("The Arq worker is starting.");
        var since = worker.Options.Clock.GetUtcNow() - lastPoll;
        var summary = worker.Summary;
        var data = new Dictionary<string, object>
        {
            ["running"] = worker.RunningJobs, ["complete"] = summary.Complete, ["failed"] = summary.Failed, ["retried"] = summary.Retried,
        };
        return since > worker.Options.PollDelay * 3 + Slack
            ? new HealthCheckResult(failure, $"The Arq worker has not read its queues for {since.TotalSeconds:0} s: is Redis reachable?", data: data)
            : HealthCheckResult.Healthy($"The Arq worker runs {worker.RunningJobs} jobs and read its queues {since.TotalMilliseconds:0} ms ago.", data);
    }
}
