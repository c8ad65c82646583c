using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Arq.Hosting;

/// <summary>Healthy when Redis answers a PING on Arq's connection, with the round trip in the description.</summary>
internal sealed class RedisHealthCheck(ArqClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoints = client.Endpoints;
        try
        {
            var roundTrip = await client.Connection.GetDatabase(client.DatabaseNumber).PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"Redis at {endpoints} answered in {roundTrip.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The endpoints and the client's error, which name no password.
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis at {endpoints} does not answer: {e.Message}");
        }
    }
}
