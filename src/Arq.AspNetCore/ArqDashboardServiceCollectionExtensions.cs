using Arq.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what Arq's dashboard needs.</summary>
public static class ArqDashboardServiceCollectionExtensions
{
    /// <summary>Registers Arq's client (as <c>AddArqClient</c> does, with its settings from the <c>"Arq"</c>
    /// section) and antiforgery, for <c>app.MapArqDashboard()</c>.</summary>
    public static IServiceCollection AddArqDashboard(this IServiceCollection services, Action<ArqOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddArqClient(configure);
        services.AddAntiforgery();
        return services;
    }
}
