using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Arq.Worker;

/// <summary>
/// The functions a worker may run, by name. A worker runs only what is registered here: nothing in a job can name
/// a type to create or code to run. Actors are created once (when the worker starts), started, reused for every
/// job, and disposed when it stops.
/// </summary>
public sealed class FunctionRegistry : IAsyncDisposable
{
    private readonly Dictionary<string, JobFunction> functions = new(StringComparer.Ordinal);
    private readonly List<ActorSlot> actors = [];
    private readonly List<Func<IWorkerHooks>> hooks = [];
    private readonly List<CronJob> cronJobs = [];

    /// <summary>Whether actors' methods run through the code Arq's source generator wrote for them, where there is
    /// some; off, they run by reflection, as the tests of both paths need.</summary>
    internal bool UseGeneratedCode { get; init; } = true;

    /// <summary>The registered names.</summary>
    public IReadOnlyCollection<string> Names => functions.Keys;

    /// <summary>The registered cron jobs.</summary>
    public IReadOnlyList<CronJob> CronJobs => cronJobs;

    /// <summary>Registers every <see cref="JobFunctionAttribute"/> method of <typeparamref name="TActor"/>, which the
    /// worker creates with its parameterless constructor when it starts.</summary>
    public FunctionRegistry AddActor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] TActor>() where TActor : class, new() =>
        AddActor(typeof(TActor), () => new TActor());

    /// <summary>Registers every job function of an actor the caller created and keeps: the worker starts it but
    /// does not dispose it.</summary>
    [RequiresUnreferencedCode("Finds the job functions on the actor's runtime type, whose methods trimming may remove: in trimmed and Native AOT apps register it with AddActor(typeof(TActor), () => actor).")]
    public FunctionRegistry AddActor(object actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return AddActor(actor.GetType(), () => actor, owned: false);
    }

    /// <summary>Registers every job function of <paramref name="actorType"/>, created by <paramref name="factory"/>
    /// when the worker starts.</summary>
    public FunctionRegistry AddActor([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type actorType, Func<object> factory) =>
        AddActor(actorType, factory, owned: true);

    private FunctionRegistry AddActor([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type actorType, Func<object> factory, bool owned)
    {
        var actorName = JobNames.Actor(actorType);
        var slot = new ActorSlot(actorType, factory, owned);
        var methods = actorType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Select(m => (Method: m, Function: m.GetCustomAttribute<JobFunctionAttribute>(), Cron: m.GetCustomAttribute<CronAttribute>()))
            .Where(m => m.Function is not null || m.Cron is not null)
            .ToList();
        if (methods.Count == 0)
            throw new ArgumentException($"The actor {actorType.FullName} has no public method marked [JobFunction] or [Cron].", nameof(actorType));
        foreach (var (method, function, cron) in methods)
        {
            Func<object?> target = method.IsStatic ? () => null : slot.Get;
            if (function is not null)
                Add(new MethodJobFunction(JobNames.Of(actorType, method, function), method, target, function.ToSettings(), UseGeneratedCode));
            if (cron is not null)
            {
                var options = cron.ToOptions();
                AddCron(new MethodJobFunction(JobNames.Cron(cron.Name ?? JobNames.Of(actorName, method.Name)), method, target, options.ToSettings(), UseGeneratedCode), cron.Schedule, options);
            }
        }
        actors.Add(slot);
        if (typeof(IWorkerHooks).IsAssignableFrom(actorType)) hooks.Add(() => (IWorkerHooks)slot.Get());
        return this;
    }

    /// <summary>Registers hooks that run around the worker's life and each job's; see <see cref="IWorkerHooks"/>.</summary>
    public FunctionRegistry AddHooks(IWorkerHooks workerHooks)
    {
        ArgumentNullException.ThrowIfNull(workerHooks);
        hooks.Add(() => workerHooks);
        return this;
    }

    /// <summary>The registered hooks, in order; an actor's exist once the actors have started.</summary>
    internal IReadOnlyList<IWorkerHooks> Hooks => hooks.Select(get => get()).ToList();

    private const string DelegateNeedsReflection = "A delegate is called by reflection, which Native AOT cannot do for every method: "
        + "there, register actors, whose [JobFunction] methods Arq's source generator compiles, or JobFunction subclasses.";

    /// <summary>Registers a delegate (a lambda or a static method) under <paramref name="name"/>, arq's modern style.</summary>
    [RequiresDynamicCode(DelegateNeedsReflection)]
    public FunctionRegistry Add(string name, Delegate function, JobFunctionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        var target = function.Target;
        return Add(new MethodJobFunction(name, function.Method, () => target, settings));
    }

    /// <summary>Registers a delegate that runs by <paramref name="schedule"/>, as the cron job <c>cron:</c><paramref name="name"/>.</summary>
    /// <param name="name">The job's name; the function is registered as <c>cron:</c> and this name, as arq does.</param>
    /// <param name="schedule">A cron expression: five fields (minute hour day month weekday), or six with seconds first.</param>
    /// <param name="function">What runs; it may take a <see cref="JobContext"/> and a <see cref="CancellationToken"/>.</param>
    /// <param name="options">Time zone, run at start-up, timeout and result keeping.</param>
    /// <exception cref="ArgumentException">The schedule is not a valid cron expression.</exception>
    [RequiresDynamicCode(DelegateNeedsReflection)]
    public FunctionRegistry AddCron(string name, string schedule, Delegate function, CronOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        options ??= new CronOptions();
        var target = function.Target;
        return AddCron(new MethodJobFunction(JobNames.Cron(name), function.Method, () => target, options.ToSettings()), schedule, options);
    }

    /// <summary>Registers a function of any kind as a cron job; its name must start with <c>cron:</c>.</summary>
    public FunctionRegistry AddCron(JobFunction function, string schedule, CronOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (!JobNames.IsCron(function.Name))
            throw new ArgumentException($"A cron job's name starts with 'cron:', as arq names them; '{function.Name}' does not.", nameof(function));
        var cron = new CronJob(function, schedule, options ?? new CronOptions());
        Add(function);
        cronJobs.Add(cron);
        return this;
    }

    /// <summary>The functions that have a rate limit of their own.</summary>
    internal IReadOnlyList<FunctionRateLimit> RateLimits =>
        functions.Values.Where(f => f.Settings.RateLimit is not null).Select(f => new FunctionRateLimit(f.Name, f.Settings.RateLimit!)).ToList();

    /// <summary>Whether <paramref name="name"/> is a cron job's function, whose in-progress key outlives a run.</summary>
    internal bool IsCron(string name) => cronJobs.Exists(c => c.Name == name);

    /// <summary>Registers a function of any kind (the PowerShell module registers its own this way).</summary>
    public FunctionRegistry Add(JobFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.Settings.KeepResult is { } keep && !ArqWorkerOptions.IsKeepResult(keep))
            throw new ArgumentException($"The job function '{function.Name}' keeps its result for {keep}: give zero (keep none), a positive time, or Timeout.InfiniteTimeSpan (keep for ever).", nameof(function));
        if (!functions.TryAdd(function.Name, function))
            throw new ArgumentException($"A job function named '{function.Name}' is already registered.", nameof(function));
        return this;
    }

    /// <summary>The function registered under <paramref name="name"/>, if any.</summary>
    public bool TryGet(string name, out JobFunction function) => functions.TryGetValue(name, out function!);

    /// <summary>Creates and starts every actor; the worker calls this before it claims a job.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var actor in actors) await actor.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes every actor that was created.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var actor in actors) await actor.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>One actor instance: created and started once, disposed once.</summary>
    private sealed class ActorSlot(Type type, Func<object> factory, bool owned) : IAsyncDisposable
    {
        private object? instance;

        public object Get() => instance ?? throw new InvalidOperationException($"The actor {type.Name} has not been started.");

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (instance is not null) return;
            try
            {
                instance = factory();
                if (instance is IActorStartup startup) await startup.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ArqException($"The actor {type.FullName} failed to start: {e.Message}", e);
            }
        }

        public async ValueTask DisposeAsync()
        {
            var created = Interlocked.Exchange(ref instance, null);
            if (!owned) return;
            switch (created)
            {
                case IAsyncDisposable asyncDisposable: await asyncDisposable.DisposeAsync().ConfigureAwait(false); break;
                case IDisposable disposable: disposable.Dispose(); break;
            }
        }
    }
}
