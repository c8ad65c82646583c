using System.ComponentModel;
using System.Management.Automation;
using PSJob = System.Management.Automation.Job;

namespace Arq.PowerShell;

/// <summary>
/// What the PowerShell jobs of Arq jobs share: stopping and starting asynchronously as they do synchronously, and no
/// suspending (a worker runs the job). See <see cref="ArqPSJob"/>.
/// </summary>
public abstract class ArqPSJobBase : Job2
{
    /// <summary>The PSJobTypeName of Arq's PowerShell jobs.</summary>
    public const string TypeName = "ArqJob";

    private protected ArqPSJobBase(string command, string? name, IList<PSJob>? childJobs = null)
        : base(command, name, childJobs ?? [])
    {
        PSJobTypeName = TypeName;
    }

    /// <inheritdoc/>
    public override void StopJob(bool force, string reason) => StopJob();

    /// <inheritdoc/>
    public override void StartJobAsync()
    {
        StartJob();
        OnStartJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    }

    /// <inheritdoc/>
    public override void StopJobAsync() => Task.Run(() =>
    {
        StopJob();
        OnStopJobCompleted(new AsyncCompletedEventArgs(null, false, null));
    });

    /// <inheritdoc/>
    public override void StopJobAsync(bool force, string reason) => StopJobAsync();

    /// <inheritdoc/>
    public override void SuspendJob() => throw NotSuspendable();

    /// <inheritdoc/>
    public override void SuspendJob(bool force, string reason) => throw NotSuspendable();

    /// <inheritdoc/>
    public override void SuspendJobAsync() => throw NotSuspendable();

    /// <inheritdoc/>
    public override void SuspendJobAsync(bool force, string reason) => throw NotSuspendable();

    /// <inheritdoc/>
    public override void ResumeJob() => throw NotSuspendable();

    /// <inheritdoc/>
    public override void ResumeJobAsync() => throw NotSuspendable();

    /// <inheritdoc/>
    public override void UnblockJob() => throw NotSuspendable();

    /// <inheritdoc/>
    public override void UnblockJobAsync() => throw NotSuspendable();

    internal static PSNotSupportedException NotSuspendable() =>
        new("An Arq job runs on a worker, which cannot suspend, resume or unblock it; Stop-Job aborts it.");

    private protected static bool IsFinishedState(JobState state) => state is JobState.Completed or JobState.Failed or JobState.Stopped;
}
