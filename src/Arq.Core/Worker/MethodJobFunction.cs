using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Arq.Worker;

/// <summary>A job function backed by a .NET method: an actor's instance method or a static method or delegate.</summary>
internal sealed class MethodJobFunction : JobFunction
{
    private readonly MethodInfo method;
    private readonly Func<object?> target;
    private readonly ArgumentBinder binder;
    private readonly Func<object?, Task<object?>> unwrap;

    public MethodJobFunction(string name, MethodInfo method, Func<object?> target, JobFunctionSettings? settings)
        : base(name, settings)
    {
        this.method = method;
        this.target = target;
        binder = new ArgumentBinder(name, method);
        unwrap = ResultUnwrapper.For(method.ReturnType);
    }

    public override Task<object?> InvokeAsync(JobContext context)
    {
        var arguments = binder.Bind(context);
        object? returned;
        try
        {
            returned = method.Invoke(target(), arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw; // not reached
        }
        return unwrap(returned);
    }
}
