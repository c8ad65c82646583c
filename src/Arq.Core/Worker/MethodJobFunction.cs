using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Arq.Worker;

/// <summary>A job function backed by a .NET method: an actor's instance method or a static method or delegate. It
/// calls the method through the code Arq's source generator wrote for it when there is some
/// (<see cref="GeneratedJobFunctions"/>), else by reflection; both bind by the same <see cref="ArgumentBinder"/>.</summary>
internal sealed class MethodJobFunction : JobFunction
{
    private readonly MethodInfo method;
    private readonly Func<object?> target;
    private readonly ArgumentBinder binder;
    private readonly Func<object?, JobArguments, Task<object?>>? generated;
    private readonly Func<object?, Task<object?>>? unwrap; // the reflection path's: generated calls await by static type

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "The reflection path is taken only where dynamic code is supported.")]
    public MethodJobFunction(string name, MethodInfo method, Func<object?> target, JobFunctionSettings? settings, bool useGenerated = true)
        : base(name, settings)
    {
        this.method = method;
        this.target = target;
        binder = new ArgumentBinder(name, method);
        generated = useGenerated ? GeneratedJobFunctions.For(method) : null;
        if (generated is not null) return;
        if (!RuntimeFeature.IsDynamicCodeSupported) throw NotGenerated(name, method);
        unwrap = ResultUnwrapper.For(method.ReturnType);
    }

    private static NotSupportedException NotGenerated(string name, MethodInfo method) => new(
        $"{name} ({method.DeclaringType}.{method.Name}) has no call written by Arq's source generator, and Native AOT cannot call it by "
        + "reflection: register job functions as public [JobFunction] methods of public actor classes (a delegate has none), and see the build's ARQ warnings.");

    /// <summary>Whether the generator's code calls the method (rather than reflection).</summary>
    internal bool IsGenerated => generated is not null;

    public override Task<object?> InvokeAsync(JobContext context)
    {
        if (generated is not null) return generated(target(), binder.Match(context));
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
        return unwrap!(returned);
    }
}
