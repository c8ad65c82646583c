using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;

namespace Arq.Worker;

/// <summary>
/// The job functions Arq's source generator compiled: for each <see cref="JobFunctionAttribute"/> or
/// <see cref="CronAttribute"/> method it sees, the generated code registers, when its assembly loads, a call of the
/// method with its arguments decoded by their static types. <see cref="FunctionRegistry"/> runs a method through it
/// when there is one, and by reflection otherwise (delegates, assemblies built without the generator, PowerShell).
/// Not for hand-written code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedJobFunctions
{
    private static readonly ConcurrentDictionary<(Type Actor, string Method), Func<object?, JobArguments, object?>> Calls = new();

    /// <summary>Registers the generated call of <paramref name="actor"/>'s method <paramref name="method"/> (its name
    /// and its parameters' names, as <see cref="Key"/> writes them): it calls the method on the actor (null for a
    /// static one) and returns what the method returned.</summary>
    public static void Register(Type actor, string method, Func<object?, JobArguments, object?> call)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(call);
        Calls[(actor, method)] = call;
    }

    /// <summary>The generated call of <paramref name="method"/>, if its assembly was built with the generator.</summary>
    internal static Func<object?, JobArguments, object?>? For(MethodInfo method) =>
        method.DeclaringType is { } actor && Calls.TryGetValue((actor, Key(method)), out var call) ? call : null;

    /// <summary>How a method is named in the registrations: <c>Name(first,second)</c>, by its parameters' names, which
    /// tell overloads apart as far as a job (which binds by name) can.</summary>
    internal static string Key(MethodInfo method) => $"{method.Name}({string.Join(",", method.GetParameters().Select(p => p.Name))})";
}
