using Arq;
using Arq.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// In ASP.NET Core's own namespace, as MapHealthChecks is, so that app.MapArqDashboard shows without a using.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Arq's dashboard into an ASP.NET Core application.</summary>
public static class ArqDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves Arq's dashboard under <paramref name="pattern"/>: queues, jobs by state with paging, any job's
    /// arguments, result or error, workers, cron jobs and throughput over time, from one self-contained page. It
    /// returns the endpoints' convention builder, so <c>.RequireAuthorization("ops")</c> puts it behind a policy as
    /// any endpoint. Read-only unless <see cref="ArqDashboardOptions.AllowActions"/>; actions then need a signed-in
    /// user and the page's antiforgery token. Needs <c>builder.Services.AddArqDashboard()</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The services the dashboard needs are not registered.</exception>
    public static IEndpointConventionBuilder MapArqDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/arq", ArqDashboardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        options ??= new ArqDashboardOptions();
        var services = endpoints.ServiceProvider;
        var client = services.GetService<ArqClient>();
        var antiforgery = services.GetService<IAntiforgery>();
        if (client is null || antiforgery is null)
            throw new InvalidOperationException("MapArqDashboard needs Arq's client and antiforgery: add builder.Services.AddArqDashboard().");
        var sampler = new DashboardSampler(client, options, services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var api = new DashboardApi(client, options, sampler, antiforgery, "/" + pattern.Trim('/'));

        var group = endpoints.MapGroup(pattern);
        group.AddEndpointFilter(DashboardResponses.FilterAsync);
        group.MapGet("/", api.Page);
        group.MapGet("/api/overview", api.OverviewAsync);
        group.MapGet("/api/history", api.History);
        group.MapGet("/api/failures", api.FailuresAsync);
        group.MapGet("/api/queues/{queue}/jobs", api.JobsAsync);
        group.MapGet("/api/jobs/{id}", api.JobAsync);
        var actions = group.MapPost("/api/jobs/{id}/{action}", api.ActAsync);
        if (options.ActionsPolicy is { } policy) actions.RequireAuthorization(policy);
        return group;
    }
}
