using System.Collections;
using System.Management.Automation;
using Arq.Protocol;
using Arq.Worker;

namespace Arq.PowerShell.Executor;

/// <summary>
/// A job function of an actors script, run in one of the runspaces that loaded it. A function gets the job's
/// positional and named arguments as PowerShell binds any call, named ones only for the parameters it declares; a
/// class method gets them by position, named ones placed by the method's parameter names. The actor object is made
/// once per runspace and kept. Output is the result (one object: the value; several: an array); a terminating
/// error fails the job with the error's type, message and script position. Cancellation (timeout, abort, shutdown)
/// stops the running pipeline.
/// </summary>
internal sealed class PowerShellJobFunction : JobFunction
{
    private readonly string member;
    private readonly string? className;
    private readonly IReadOnlyList<string> parameters;
    private readonly ActorRunspaces runspaces;
    private readonly Action<string> warn;

    public PowerShellJobFunction(string name, string member, string? className, IReadOnlyList<string> parameters,
        ActorRunspaces runspaces, Action<string> warn, JobFunctionSettings? settings = null) : base(name, settings)
    {
        this.member = member;
        this.className = className;
        this.parameters = parameters;
        this.runspaces = runspaces;
        this.warn = warn;
    }

    public override async Task<object?> InvokeAsync(JobContext context)
    {
        var (positional, named) = Arguments(Name, className is not null, parameters, context);
        var output = await runspaces.InvokeAsync(member, className, positional, named, context, context.CancellationToken).ConfigureAwait(false);
        WarnInLog(context);
        return Result(output);
    }

    /// <summary>How many of a job's warnings the worker's log shows; all are kept with the job (Receive-ArqJob).</summary>
    private const int WarningsLogged = 3;

    private void WarnInLog(JobContext context)
    {
        if (context.Streams is not { } streams) return;
        var warnings = streams.Records.Where(r => r.Stream == JobStream.Warning).ToList();
        foreach (var warning in warnings.Take(WarningsLogged)) warn($"{context.JobId}:{Name} warning: {warning.Message}");
        var more = warnings.Count - WarningsLogged + streams.Dropped;
        if (more > 0) warn($"{context.JobId}:{Name} wrote {more} more warnings or other records; Receive-ArqJob shows those kept.");
    }

    /// <summary>The job's arguments as PowerShell values: positional and named for a function, named ones only for
    /// <paramref name="parameters"/>, those it declares; for a method, all positional, named ones placed by the
    /// method's <paramref name="parameters"/>.</summary>
    internal static (object?[] Positional, Hashtable Named) Arguments(string name, bool isMethod, IReadOnlyList<string> parameters, JobContext context)
    {
        var positional = context.Args.Select((value, i) => Decode(name, $"at position {i}", value)).ToList();
        var named = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in context.Kwargs) named[key] = Decode(name, $"'{key}'", value);
        if (!isMethod)
        {
            var undeclared = named.Keys.Cast<string>().FirstOrDefault(key => !parameters.Contains(key, StringComparer.OrdinalIgnoreCase));
            if (undeclared is not null)
                throw ArgumentBindingException.NoSuchParameter(name, undeclared, parameters);
            return (positional.ToArray(), named);
        }

        // A method has no named parameters in PowerShell: place named arguments by the method's parameter names.
        if (positional.Count > parameters.Count)
            throw ArgumentBindingException.TooManyPositional(name, parameters.Count, positional.Count);
        foreach (var parameter in parameters.Skip(positional.Count))
        {
            if (!named.ContainsKey(parameter)) throw ArgumentBindingException.Missing(name, parameter);
            positional.Add(named[parameter]);
            named.Remove(parameter);
        }
        if (named.Count > 0)
            throw ArgumentBindingException.NoSuchParameter(name, named.Keys.Cast<string>().First(), parameters);
        return (positional.ToArray(), new Hashtable());
    }

    /// <summary>An argument as a PowerShell value; data that is not valid (a string that is not UTF-8, nesting past
    /// the limit) fails the job for good, saying which argument and why, as the .NET binder does.</summary>
    private static object? Decode(string function, string which, PackedValue value)
    {
        try
        {
            return PowerShellValue.FromPacked(value);
        }
        catch (InvalidDataException e)
        {
            throw ArgumentBindingException.NotValid(function, which, e.Message, e);
        }
    }

    /// <summary>The pipeline's output as the job's plain result: nothing, the one object, or an array.</summary>
    internal static object? Result(IList<PSObject> output)
    {
        try
        {
            return output.Count switch
            {
                0 => null,
                1 => PowerShellValue.ToPlain(output[0], "The result"),
                _ => PowerShellValue.ToPlain(output.ToArray(), "The result"),
            };
        }
        catch (ArgumentException e)
        {
            throw new FailJobException(JobErrorTypes.Serialization, e.Message);
        }
    }
}
