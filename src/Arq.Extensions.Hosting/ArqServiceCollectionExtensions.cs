using Arq;
using Arq.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the container's own namespace, as Microsoft's extensions are, so that AddArq… shows where services are added.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Arq's client and worker in a host's services.</summary>
public static class ArqServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IArqClient"/> (and <see cref="ArqClient"/>), one for the application, on a Redis
    /// connection opened on first use. Settings come from the <c>"Arq"</c> configuration section, then
    /// <paramref name="configure"/> (code wins over files); they are checked when the host starts. Calling it again
    /// adds settings only.
    /// </summary>
    public static IServiceCollection AddArqClient(this IServiceCollection services, Action<ArqOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ArqOptions>();
        if (!services.Any(d => d.ServiceType == typeof(ArqConnection)))
        {
            Bind(options, ArqOptions.SectionName);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ArqOptions>, ArqOptionsValidation>());
            services.AddSingleton<ArqConnection>();
            services.AddSingleton(provider => new ArqClient(provider.GetRequiredService<ArqConnection>().Redis,
                provider.GetRequiredService<IOptions<ArqOptions>>().Value.ToClientOptions(Clock(provider))));
            services.AddSingleton<IArqClient>(provider => provider.GetRequiredService<ArqClient>());
        }
        if (configure is not null) options.Configure(configure);
        return services;
    }

    /// <summary>
    /// Runs an Arq worker as a hosted service (and registers the client, as <see cref="AddArqClient"/> does). Add
    /// what it runs on the builder returned: <c>.AddActor&lt;T&gt;()</c>. Settings come from the <c>"Arq:Worker"</c>
    /// configuration section, then <paramref name="configure"/>, and are checked when the host starts; the worker
    /// logs through the host's logging and keeps time by its <see cref="TimeProvider"/>, if one is registered.
    /// One worker per host: calling it again adds to the same worker.
    /// </summary>
    public static ArqWorkerBuilder AddArqWorker(this IServiceCollection services, Action<ArqWorkerServiceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddArqClient();
        var options = services.AddOptions<ArqWorkerServiceOptions>();
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ArqWorkerRegistrations))?.ImplementationInstance is not ArqWorkerRegistrations registrations)
        {
            Bind(options, ArqWorkerServiceOptions.SectionName);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ArqWorkerServiceOptions>, ArqOptionsValidation>());
            registrations = [];
            services.AddSingleton(registrations);
            services.AddSingleton<ArqWorkerService>();
            services.AddHostedService(provider => provider.GetRequiredService<ArqWorkerService>());
        }
        if (configure is not null) options.Configure(configure);
        return new ArqWorkerBuilder(services, registrations);
    }

    /// <summary>Binds the section of the host's configuration, if it has one, and checks the result at start.</summary>
    private static void Bind<TOptions>(OptionsBuilder<TOptions> options, string section) where TOptions : class =>
        options.Configure<IServiceProvider>((o, provider) => provider.GetService<IConfiguration>()?.GetSection(section).Bind(o)).ValidateOnStart();

    internal static TimeProvider Clock(IServiceProvider provider) => provider.GetService<TimeProvider>() ?? TimeProvider.System;
}
