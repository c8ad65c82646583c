using System.Diagnostics.CodeAnalysis;
using Arq.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Arq.Hosting;

/// <summary>
/// What the worker of <c>AddArqWorker</c> runs: actors made through the container, delegates, hooks. Each call adds
/// to the same worker, so a library can register its own actors beside the application's.
/// </summary>
public sealed class ArqWorkerBuilder
{
    private readonly List<Action<FunctionRegistry, IServiceProvider>> registrations;

    internal ArqWorkerBuilder(IServiceCollection services, List<Action<FunctionRegistry, IServiceProvider>> registrations)
    {
        Services = services;
        this.registrations = registrations;
    }

    /// <summary>The services of the host, to register what the actors need.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Registers every <see cref="JobFunctionAttribute"/> and <see cref="CronAttribute"/> method of
    /// <typeparamref name="TActor"/>. The worker creates the actor once, when it starts, through the container
    /// (its constructor takes registered services), keeps it for every job, and disposes it when it stops. A job
    /// that needs a scoped service (a database context) takes a <see cref="JobContext"/> and resolves it from
    /// <see cref="JobContext.Services"/>, the job's own scope.
    /// </summary>
    public ArqWorkerBuilder AddActor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.PublicConstructors)] TActor>()
        where TActor : class =>
        ConfigureFunctions((functions, services) => functions.AddActor(typeof(TActor), () => ActivatorUtilities.CreateInstance<TActor>(services)));

    /// <summary>Registers a delegate under <paramref name="name"/>, as <see cref="FunctionRegistry.Add(string, Delegate, JobFunctionSettings)"/> does.</summary>
    public ArqWorkerBuilder AddFunction(string name, Delegate function, JobFunctionSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(function);
        return ConfigureFunctions((functions, _) => functions.Add(name, function, settings));
    }

    /// <summary>Registers hooks around the worker's life and each job's (<see cref="IWorkerHooks"/>), made through
    /// the container when the worker starts.</summary>
    public ArqWorkerBuilder AddHooks<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THooks>() where THooks : class, IWorkerHooks =>
        ConfigureFunctions((functions, services) => functions.AddHooks(ActivatorUtilities.CreateInstance<THooks>(services)));

    /// <summary>Registers anything a <see cref="FunctionRegistry"/> takes (cron delegates, functions of your own
    /// kind), with the host's services at hand; runs when the worker starts.</summary>
    public ArqWorkerBuilder ConfigureFunctions(Action<FunctionRegistry, IServiceProvider> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        registrations.Add(configure);
        return this;
    }
}
