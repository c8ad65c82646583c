using System.Collections.Concurrent;
using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>
/// The session's register of <see cref="ArqPSJob"/>s, through which Get-Job finds them (by id, name, command or
/// state) and Remove-Job removes them, as for ThreadJob's jobs. PowerShell's job manager creates it.
/// </summary>
public sealed class ArqJobSourceAdapter : JobSourceAdapter
{
    internal const string NewJobParameter = "NewJob";

    private readonly ConcurrentDictionary<Guid, Job2> jobs = new();

    /// <summary>Creates the adapter (the job manager does).</summary>
    public ArqJobSourceAdapter() => Name = nameof(ArqJobSourceAdapter);

    /// <inheritdoc/>
    public override Job2 NewJob(JobInvocationInfo specification)
    {
        var job = specification.Parameters[0][0].Value as ArqPSJob
            ?? throw new PSArgumentException("Arq's job source makes no jobs of its own: Submit-ArqJob -AsJob does.");
        jobs.TryAdd(job.InstanceId, job);
        return job;
    }

    /// <inheritdoc/>
    public override IList<Job2> GetJobs() => [.. jobs.Values];

    /// <inheritdoc/>
    public override IList<Job2> GetJobsByName(string name, bool recurse) => Where(job => string.Equals(job.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override IList<Job2> GetJobsByCommand(string command, bool recurse) => Where(job => string.Equals(job.Command, command, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override IList<Job2> GetJobsByState(JobState state, bool recurse) => Where(job => job.JobStateInfo.State == state);

    /// <inheritdoc/>
    public override IList<Job2> GetJobsByFilter(Dictionary<string, object> filter, bool recurse) => throw new PSNotSupportedException();

    /// <inheritdoc/>
    public override Job2? GetJobByInstanceId(Guid instanceId, bool recurse) => jobs.GetValueOrDefault(instanceId);

    /// <inheritdoc/>
    public override Job2? GetJobBySessionId(int id, bool recurse) => jobs.Values.FirstOrDefault(job => job.Id == id);

    /// <summary>Forgets the job; an Arq job still running goes on (Stop-Job aborts it).</summary>
    public override void RemoveJob(Job2 job) => jobs.TryRemove(job.InstanceId, out _);

    private List<Job2> Where(Func<Job2, bool> match) => [.. jobs.Values.Where(match)];
}
