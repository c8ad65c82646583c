using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Gets the results of finished jobs.</para>
/// <para type="description">Emits each job's result as PowerShell objects: maps with string keys become
/// PSCustomObjects, other maps dictionaries (an integer key is found by $map[1]), arrays stay arrays. A failed
/// PowerShell job writes an error record that reads as the original: its message, category and, leading its fully
/// qualified id, the original's; its RemoteJobException holds the original's type name, script stack trace, position
/// and the job id. A job of another worker (.NET, Python) writes one whose error id is the remote error's type, whose
/// message is the remote message, and whose target is the job id. A job that has not finished (or whose result was not kept) writes a non-terminating error; pipe through Wait-ArqJob
/// first to wait for it.</para>
/// <para type="description">Before its result, a job's own streams are replayed to this command's, as Receive-Job
/// does: what a PowerShell actor wrote with Write-Warning, Write-Verbose, Write-Debug, Write-Information (tags kept)
/// and Write-Error (non-terminating), in order, so that -WarningVariable, -InformationVariable, redirections and
/// preference variables work on them. Verbose and debug records exist only where the job turned them on (its
/// preference variables, or -Verbose on the commands it ran).</para>
/// <example><code>Submit-ArqJob -Function Add -ArgumentList 1, 2 | Wait-ArqJob | Receive-ArqJob</code><para>Submits a job, waits until a worker has finished it and writes its result (3) to the pipeline.</para></example>
/// <example><code>Receive-ArqJob -Id 8a1c0e5d4f6b4e2f9d3c7b1a0e9f8d7c -ErrorAction Stop</code><para>Writes the result of a finished job; if the job failed, its error stops the script.</para></example>
/// <example><code>$job | Receive-ArqJob -WarningVariable warnings 3>$null</code><para>Writes the result, and keeps the job's warnings in $warnings without showing them.</para></example>
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "ArqJob", DefaultParameterSetName = ByJob)]
[OutputType(typeof(object))]
public sealed class ReceiveArqJobCommand : ArqJobCmdlet
{
    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        foreach (var (_, job) in SelectedJobs())
        {
            var reading = job.GetStreamsAsync();
            var result = Await(job.GetResultInfoAsync());
            var streams = Await(reading);
            if (streams is not null)
                new JobStreamReplay(WriteWarning, WriteVerbose, WriteDebug, WriteInformation, WriteError).Replay(job.Id, streams);
            if (result is null)
            {
                WriteError(new ErrorRecord(
                    new InvalidOperationException($"Job {job.Id} has no result: it has not finished, or its result was not kept. Use Wait-ArqJob to wait for it."),
                    "JobNotFinished", ErrorCategory.ResourceUnavailable, job.Id));
            }
            else if (result.Success)
            {
                WriteObject(PowerShellValue.FromPacked(result.Result), enumerateCollection: false);
            }
            else
            {
                WriteError(JobStreamReplay.Failure(job.Id, result, streams));
            }
        }
    }
}
