using Arq.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Arq.Hosting;

/// <summary>
/// The worker of <c>AddArqWorker</c>, run for the life of the host: it starts with the host (actors made through the
/// container), and the host's stop is the worker's graceful stop (nothing new claimed, running jobs given the
/// shutdown delay, the rest handed back to their queue), kept within <c>HostOptions.ShutdownTimeout</c>.
/// </summary>
internal sealed class ArqWorkerService(
    ArqConnection connection,
    IOptions<ArqOptions> arq,
    IOptions<ArqWorkerServiceOptions> options,
    ArqWorkerRegistrations registrations,
    IServiceProvider services,
    IOptions<HostOptions> host,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>What the worker needs after its shutdown delay to cancel the jobs left and hand them back.</summary>
    internal static readonly TimeSpan HandBackTime = TimeSpan.FromSeconds(5);

    private volatile ArqWorker? worker;

    /// <summary>The running worker; null until the host has started it.</summary>
    public ArqWorker? Worker => worker;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var functions = new FunctionRegistry();
        foreach (var register in registrations) register(functions, services);
        if (functions.Names.Count == 0)
            throw new InvalidOperationException("AddArqWorker has no job function to run: add an actor with .AddActor<T>() or a delegate with .AddFunction(name, function).");
        var settings = options.Value.ToWorkerOptions(arq.Value, ArqServiceCollectionExtensions.Clock(services), services);
        var ceiling = host.Value.ShutdownTimeout - HandBackTime;
        if (settings.ShutdownDelay > ceiling) settings = settings with { ShutdownDelay = ceiling > TimeSpan.Zero ? ceiling : TimeSpan.Zero };
        worker = new ArqWorker(connection.Redis, functions, settings, loggers.CreateLogger<ArqWorker>());
        await worker.RunAsync(stoppingToken).ConfigureAwait(false);
        if (settings.Burst) lifetime.StopApplication();
    }
}

/// <summary>The registrations of <see cref="ArqWorkerBuilder"/>, in order: one list per host.</summary>
internal sealed class ArqWorkerRegistrations : List<Action<FunctionRegistry, IServiceProvider>>;
