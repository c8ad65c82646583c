using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Arq.Hosting;

/// <summary>Healthy when Redis answers a PING on Arq's connection, with the round trip in the description.</summary>
internal sealed class RedisHealthCheck(ArqConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var redis = connection.Redis;
        var endpoints = string.Join(", ", redis.GetEndPoints().Select(RedisConnector.Format));
        try
        {
            var roundTrip = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Redis at {endpoints} answered in {roundTrip.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The endpoints and the client's error, which name no password.
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis at {endpoints} does not answer: {e.Message}");
        }
    }
}
