using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// <para type="synopsis">Gets the results of finished jobs.</para>
/// <para type="description">Emits each job's result as PowerShell objects: maps with string keys become
/// PSCustomObjects, other maps dictionaries (an integer key is found by $map[1]), arrays stay arrays. A failed job
/// writes an error record whose error id is the remote error's type, whose message is the remote message, and whose
/// target is the job id. A job that has not finished (or whose result was not kept) writes a non-terminating error; pipe through Wait-ArqJob
/// first to wait for it.</para>
/// <example><code>Submit-ArqJob -Function Add -ArgumentList 1, 2 | Wait-ArqJob | Receive-ArqJob</code><para>Submits a job, waits until a worker has finished it and writes its result (3) to the pipeline.</para></example>
/// <example><code>Receive-ArqJob -Id 8a1c0e5d4f6b4e2f9d3c7b1a0e9f8d7c -ErrorAction Stop</code><para>Writes the result of a finished job; if the job failed, its error stops the script.</para></example>
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
            var result = Await(job.GetResultInfoAsync());
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
                var failure = new JobFailedException(result);
                WriteError(new ErrorRecord(failure, failure.Error.Type ?? "ArqJobFailed", ErrorCategory.InvalidResult, job.Id)
                {
                    ErrorDetails = new ErrorDetails(failure.Message),
                });
            }
        }
    }
}
