using Arq.Protocol;
using Microsoft.AspNetCore.Http;

namespace Arq.Dashboard;

/// <summary>What every response of the dashboard carries, and what becomes of a failure on the way to Redis.</summary>
internal static class DashboardResponses
{
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var headers = invocation.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        // Nothing from elsewhere, and no framing by another site (whose page could trick a click on an action).
        headers.ContentSecurityPolicy = "default-src 'self' 'unsafe-inline'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException or ArqProtocolException)
        {
            return DashboardApi.Error(503, e.Message);
        }
    }
}
