using Arq;
using Arq.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Arq's health checks, for <c>services.AddHealthChecks().AddArq()</c>.</summary>
public static class ArqHealthChecksBuilderExtensions
{
    /// <summary>The name of the check that Redis answers.</summary>
    public const string RedisCheckName = "arq-redis";

    /// <summary>The name of the check that this host's worker runs and reads its queues.</summary>
    public const string WorkerCheckName = "arq-worker";

    /// <summary>
    /// Adds two checks: <c>arq-redis</c>, that Redis answers a PING on Arq's connection, and <c>arq-worker</c>, that
    /// the worker of <c>AddArqWorker</c> runs and has read its queues lately (its poll delay, three times over, plus
    /// ten seconds); a host without a worker is healthy on that count. <paramref name="tags"/> go on both, to map
    /// them to an endpoint of their own (<c>MapHealthChecks("/ready", ...)</c>).
    /// </summary>
    public static IHealthChecksBuilder AddArq(this IHealthChecksBuilder builder, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(new HealthCheckRegistration(RedisCheckName,
            provider => new RedisHealthCheck(provider.GetRequiredService<ArqClient>()), failureStatus: null, tags));
        builder.Add(new HealthCheckRegistration(WorkerCheckName,
            provider => new WorkerHealthCheck(provider.GetService<ArqWorkerService>()), failureStatus: null, tags));
        return builder;
    }
}
