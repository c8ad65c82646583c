using System.Collections;
using System.Management.Automation;
using Arq.Protocol;
using Arq.Worker;

namespace Arq.PowerShell.Executor;

/// <summary>Invoke-ArqJob's work: one job of an actors script, run in the calling session through the wire encoding.</summary>
internal static class ScriptJob
{
    public static void Invoke(PSCmdlet cmdlet, string path, string function, object?[] args, IDictionary? parameters)
    {
        var jobs = PowerShellActors.JobFunctions(path);
        if (!jobs.TryGetValue(function, out var target))
            throw new ArgumentException($"{path} has no job function '{function}'; it has: {string.Join(", ", jobs.Keys.Order(StringComparer.Ordinal))}.", nameof(function));
        var now = DateTimeOffset.UtcNow;
        var context = new JobContext
        {
            JobId = $"test-{Guid.NewGuid():N}",
            Function = function,
            Try = 1,
            EnqueueTime = now,
            Queue = ArqKeys.DefaultQueue,
            DueTime = now,
            Args = args.Select(a => PackedValue.From(PowerShellValue.ToPlain(a, "An argument"))).ToList(),
            Kwargs = (parameters ?? new Hashtable()).Cast<DictionaryEntry>()
                .ToDictionary(e => $"{e.Key}", e => PackedValue.From(PowerShellValue.ToPlain(e.Value, $"The argument '{e.Key}'"))),
        };
        var (positional, named) = PowerShellJobFunction.Arguments(function, target.Class is not null, target.Parameters, context);

        // In the caller's scope, as dot-sourcing would: the test's mocks and variables are the script's.
        var run = ScriptBlock.Create($$"""
            param($Member, $Class, $Positional, $Named, $Context)
            . '{{path.Replace("'", "''")}}'
            if (-not (Get-Command {{ActorRunspaces.InvokerName}} -ErrorAction Ignore)) { {{ActorRunspaces.InvokerDefinition}} }
            $ErrorActionPreference = 'Stop'
            $global:ArqActors = @{} # a class actor afresh for each call, so that tests do not share its state
            {{ActorRunspaces.InvokerName}} -Name $Member -Class $Class -Positional $Positional -Named $Named -Context $Context
            """);
        var output = cmdlet.InvokeCommand.InvokeScript(false, run, null, target.Member, target.Class, positional, named, context);
        var result = PowerShellJobFunction.Result(output);
        cmdlet.WriteObject(PowerShellValue.FromPacked(PackedValue.From(result)), enumerateCollection: false);
    }
}
