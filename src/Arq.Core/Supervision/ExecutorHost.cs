using Arq.Worker;
using StackExchange.Redis;

namespace Arq.Supervision;

/// <summary>
/// The body of an executor process: reads its settings from the first line of standard input, loads the actors,
/// runs a worker, and reports on standard output in <see cref="ExecutorEvent"/> JSON lines. A "stop" line, the end
/// of standard input (the supervisor is gone), SIGTERM or SIGINT stop it gracefully (see <see cref="ExecutorRequests"/>);
/// killing it is the supervisor's call. The exit code tells the supervisor whether to start another (<see cref="ExecutorExitCode"/>).
/// </summary>
internal static class ExecutorHost
{
    /// <summary>Runs the executor; <paramref name="loadActors"/> registers the job functions the settings name and
    /// returns what to dispose when the worker has stopped. <paramref name="startedSteps"/> are the steps of the
    /// start-up before this call (the PowerShell engine's, the module's).</summary>
    public static async Task<int> RunAsync(TextReader input, TextWriter output,
        Func<ExecutorSettings, FunctionRegistry, LogLineWriter, IDisposable?> loadActors, IEnumerable<StartupStep>? startedSteps = null)
    {
        List<StartupStep> startup = [StartupStep.ProcessStarted(), .. startedSteps ?? []];
        var log = new LogLineWriter(output);
        using var stop = new CancellationTokenSource();
        using var signals = StopSignals.Register(stop.Cancel);
        IDisposable? actors = null;
        Task<ConnectionMultiplexer>? connecting = null;
        try
        {
            var settings = ExecutorSettings.FromJson(await input.ReadLineAsync().ConfigureAwait(false)
                ?? throw new ActorLoadException("The executor got no settings on its standard input."));
            log.MinimumLevel = settings.LogLevel;
            log.EventToken = settings.EventToken;
            // Redis connects while the actors load: on a cold start each takes a good part of the time.
            connecting = RedisConnector.ConnectAsync(RedisConnector.Parse(settings.Redis));
            var functions = new FunctionRegistry();
            actors = loadActors(settings, functions, log);
            startup.Add(new("actors", DateTime.UtcNow));
            if (functions.Names.Count == 0) throw new ActorLoadException("No job functions: give a PowerShell actors script, .NET actor assemblies, or both.");
            var requests = new ExecutorRequests(stop, settings.JobLimit);
            requests.Watch(input);

            var redis = await connecting.ConfigureAwait(false);
            startup.Add(new("Redis", DateTime.UtcNow));
            // Start-ArqWorker names a server, not a layout: on a cluster, the cluster's.
            var options = settings.Worker with { KeyLayout = Protocol.KeyLayoutCheck.Suited(redis, settings.Worker.KeyLayout) };
            var worker = new ArqWorker(redis, functions, options, log);
            requests.Attach(worker);
            var running = worker.RunAsync(stop.Token);
            log.Write(new ExecutorEvent.Ready(Environment.ProcessId, functions.Names.Order(StringComparer.Ordinal).ToList(), startup));
            log.Write(new ExecutorEvent.Stopped(await running.ConfigureAwait(false)));
            return ExecutorExitCode.Stopped;
        }
        catch (ArqConnectionException e)
        {
            // Redis may be back soon: the supervisor starts another executor after a pause.
            log.Log(ExecutorLogLevel.Error, e.Message);
            return 1;
        }
        catch (Exception e) when (e is ArqException or ArgumentException)
        {
            // Actors that do not load or start, or settings that make no sense: another try fails the same way.
            log.Write(new ExecutorEvent.Fatal(e.Message));
            return ExecutorExitCode.Configuration;
        }
        finally
        {
            if (connecting is not null) await CloseAsync(connecting).ConfigureAwait(false);
            actors?.Dispose();
        }
    }

    private static async Task CloseAsync(Task<ConnectionMultiplexer> connecting)
    {
        try
        {
            await (await connecting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (ArqConnectionException)
        {
            // Never connected (and reported, unless the actors failed first): nothing to close.
        }
    }
}
