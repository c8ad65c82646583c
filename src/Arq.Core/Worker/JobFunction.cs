namespace Arq.Worker;

/// <summary>
/// Something a worker can run under a registered name: a method of a .NET actor, a static function, or (in the
/// PowerShell module) a PowerShell function or class method.
/// </summary>
public abstract class JobFunction
{
    /// <summary>Creates a function registered under <paramref name="name"/>.</summary>
    protected JobFunction(string name, JobFunctionSettings? settings)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Settings = settings ?? new JobFunctionSettings();
    }

    /// <summary>The registered name that jobs use.</summary>
    public string Name { get; }

    /// <summary>Overrides of the worker's settings for this function.</summary>
    public JobFunctionSettings Settings { get; }

    /// <summary>
    /// Runs the job and returns its result. Throws <see cref="ArgumentBindingException"/> when the job's arguments
    /// do not fit, <see cref="RetryJobException"/> to run again, anything else to fail.
    /// </summary>
    public abstract Task<object?> InvokeAsync(JobContext context);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
