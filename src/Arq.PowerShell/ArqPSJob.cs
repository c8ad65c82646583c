using System.Management.Automation;
using PSJob = System.Management.Automation.Job;

namespace Arq.PowerShell;

/// <summary>
/// What <c>Submit-ArqJob -AsJob</c> returns: a PowerShell job with a child job (<see cref="ArqPSChildJob"/>) for each
/// Arq job the command submitted, so that Get-Job, Wait-Job, Receive-Job, Stop-Job and Remove-Job work on Arq jobs as
/// on any other, wherever the worker that runs them is. It ends when every child has: Failed if one failed, Stopped if
/// one was stopped, else Completed.
/// </summary>
public sealed class ArqPSJob : ArqPSJobBase
{
    private readonly object gate = new();

    internal ArqPSJob(string command, string? name, IReadOnlyList<ArqPSChildJob> children)
        : base(command, name, [.. children.Cast<PSJob>()])
    {
        foreach (var child in children) child.StateChanged += (_, _) => Settle();
    }

    /// <summary>The queues of the Arq jobs.</summary>
    public override string Location => string.Join(", ", ChildJobs.Select(child => child.Location).Distinct());

    /// <inheritdoc/>
    public override string StatusMessage => $"{ChildJobs.Count(child => IsFinishedState(child.JobStateInfo.State))} of {ChildJobs.Count} finished";

    /// <inheritdoc/>
    public override bool HasMoreData => ChildJobs.Any(child => child.HasMoreData);

    /// <summary>Starts following every Arq job.</summary>
    public override void StartJob()
    {
        SetJobState(JobState.Running);
        foreach (var child in ChildJobs.Cast<ArqPSChildJob>()) child.StartJob();
        Settle();
    }

    /// <summary>Aborts every Arq job that has not finished.</summary>
    public override void StopJob()
    {
        foreach (var child in ChildJobs.Cast<ArqPSChildJob>()) child.StopJob();
        Settle();
    }

    private void Settle()
    {
        lock (gate)
        {
            if (JobStateInfo.State != JobState.Running) return;
            var states = ChildJobs.Select(child => child.JobStateInfo.State).ToList();
            if (!states.All(IsFinishedState)) return;
            SetJobState(states.Contains(JobState.Failed) ? JobState.Failed : states.Contains(JobState.Stopped) ? JobState.Stopped : JobState.Completed);
        }
    }

    /// <summary>A started job that follows <paramref name="jobs"/>, registered with the session's job manager through
    /// <see cref="ArqJobSourceAdapter"/> so that the job cmdlets find it.</summary>
    internal static ArqPSJob Start(InvocationInfo invocation, IEnumerable<Job> jobs, JobManager jobManager)
    {
        var command = invocation.Line.Trim() is { Length: > 0 } line ? line : invocation.MyCommand.Name;
        var job = new ArqPSJob(command, null, [.. jobs.Select(queued => new ArqPSChildJob(queued, $"{command} ({queued.Id})"))]);
        var definition = new System.Management.Automation.JobDefinition(typeof(ArqJobSourceAdapter), command, job.Name);
        jobManager.NewJob(new JobInvocationInfo(definition, new Dictionary<string, object> { [ArqJobSourceAdapter.NewJobParameter] = job }));
        job.StartJob();
        return job;
    }
}
