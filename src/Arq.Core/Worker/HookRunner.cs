using Microsoft.Extensions.Logging;

namespace Arq.Worker;

/// <summary>Calls the registered <see cref="IWorkerHooks"/> in order, with each hook's failure rule.</summary>
internal sealed class HookRunner(IReadOnlyList<IWorkerHooks> hooks, ILogger logger)
{
    public bool IsEmpty => hooks.Count == 0;

    /// <exception cref="ArqException">A hook failed; the worker must not claim jobs.</exception>
    public async Task StartupAsync(CancellationToken cancellationToken)
    {
        foreach (var hook in hooks)
        {
            try
            {
                await hook.OnStartupAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new ArqException($"The start-up hook {Name(hook)} failed: {e.Message}", e);
            }
        }
    }

    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        for (var i = hooks.Count - 1; i >= 0; i--)
            await LoggedAsync(hooks[i], "shutdown", h => h.OnShutdownAsync(cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>Runs every before-job hook; a failure propagates to fail the try.</summary>
    public async Task BeforeJobAsync(JobContext context)
    {
        foreach (var hook in hooks) await hook.BeforeJobAsync(context).ConfigureAwait(false);
    }

    public async Task AfterJobAsync(JobContext context, JobCompletion completion)
    {
        foreach (var hook in hooks)
            await LoggedAsync(hook, "after-job", h => h.AfterJobAsync(context, completion)).ConfigureAwait(false);
    }

    public async Task TriesExhaustedAsync(JobContext context, JobError error)
    {
        foreach (var hook in hooks)
            await LoggedAsync(hook, "tries-exhausted", h => h.OnTriesExhaustedAsync(context, error)).ConfigureAwait(false);
    }

    private async Task LoggedAsync(IWorkerHooks hook, string kind, Func<IWorkerHooks, Task> call)
    {
        try
        {
            await call(hook).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogError("The {Kind} hook {Hook} failed: {Error}", kind, Name(hook), e.Message);
        }
    }

    private static string Name(IWorkerHooks hook) => hook.ToString() is { } text && text != hook.GetType().FullName ? text : hook.GetType().Name;
}
