using System.Collections;
using Arq.Worker;

namespace Arq.PowerShell.Executor;

/// <summary>
/// A function or class method of an actors script marked <c>[ArqHook('...')]</c>, run in one of the script's
/// runspaces at its hook point with that point's arguments: none, the job context, and the completion or error.
/// </summary>
internal sealed class PowerShellHook(string when, string member, string? className, ActorRunspaces runspaces) : IWorkerHooks
{
    public string When { get; } = when;

    public Task OnStartupAsync(CancellationToken cancellationToken) => RunAsync("Startup", [], null, cancellationToken);

    public Task OnShutdownAsync(CancellationToken cancellationToken) => RunAsync("Shutdown", [], null, cancellationToken);

    public Task BeforeJobAsync(JobContext context) => RunAsync("BeforeJob", [context], context, context.CancellationToken);

    public Task AfterJobAsync(JobContext context, JobCompletion completion) =>
        RunAsync("AfterJob", [context, completion], context, CancellationToken.None);

    public Task OnTriesExhaustedAsync(JobContext context, JobError error) =>
        RunAsync("TriesExhausted", [context, error], context, CancellationToken.None);

    public override string ToString() => className is null ? member : $"{className}.{member}";

    private Task RunAsync(string point, object?[] arguments, JobContext? context, CancellationToken cancellationToken) =>
        point == When ? runspaces.InvokeAsync(member, className, arguments, new Hashtable(), context, cancellationToken) : Task.CompletedTask;
}
