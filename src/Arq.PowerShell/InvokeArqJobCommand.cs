using System.Collections;
using System.Management.Automation;
using Arq.PowerShell.Executor;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Runs one job function of an actors script in this session, as a worker would, for tests.</para>
/// <para type="description">Dot-sources the actors script into the caller's scope (so Pester's Mock and the test's
/// variables reach it), passes the arguments through Arq's wire encoding, calls the function or class method the way
/// the executor calls it (with $ArqContext set and $ErrorActionPreference = 'Stop'; a class actor is made afresh for each
/// call), and returns the result, itself passed
/// through the encoding. A job's error is thrown to the caller: Pester's Should -Throw sees it. No Redis is needed.
/// For integration tests, run the real thing instead: Submit-ArqJob, then Start-ArqWorker -Burst.</para>
/// <example><code>Invoke-ArqJob -Path ./actors.ps1 -Function Greeter.Hello -ArgumentList ann | Should -Be 'Hello ann'</code><para>In a Pester test: runs the Greeter.Hello job of actors.ps1 in this session, with no Redis and no worker, and checks its result.</para></example>
/// <example><code>{ Invoke-ArqJob ./actors.ps1 Boom } | Should -Throw '*no such report*'</code><para>In a Pester test: a job that fails throws its error, as the job's result would report it.</para></example>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ArqJob")]
[OutputType(typeof(object))]
public sealed class InvokeArqJobCommand : PSCmdlet
{
    /// <summary><para type="description">The actors script.</para></summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary><para type="description">The job function: a function's name, ClassName.MethodName, or cron:Name.</para></summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Function { get; set; } = "";

    /// <summary><para type="description">Positional arguments.</para></summary>
    [Parameter(Position = 2)]
    public object?[]? ArgumentList { get; set; }

    /// <summary><para type="description">Named arguments.</para></summary>
    [Parameter]
    public IDictionary? Parameters { get; set; }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!File.Exists(path)) ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The actors script '{path}' does not exist.", path), "ActorsScriptNotFound", ErrorCategory.ObjectNotFound, path));
        ScriptJob.Invoke(this, path, Function, ArgumentList ?? [], Parameters);
    }
}
