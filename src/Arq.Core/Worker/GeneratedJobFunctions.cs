using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using Arq.Protocol;
using MessagePack.Formatters;

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
    private static readonly ConcurrentDictionary<(Type Actor, string Method), Func<object?, JobArguments, Task<object?>>> Calls = new();
    private static readonly Task<object?> Nothing = Task.FromResult<object?>(null);

    /// <summary>Registers the generated call of <paramref name="actor"/>'s method <paramref name="method"/> (its name
    /// and its parameters' names, as <see cref="Key"/> writes them): it calls the method on the actor (null for a
    /// static one) and returns its awaited result (<see cref="Return(Task)"/> and its overloads).</summary>
    public static void Register(Type actor, string method, Func<object?, JobArguments, Task<object?>> call)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(call);
        Calls[(actor, method)] = call;
    }

    /// <summary>Registers a formatter of a type that a generated call's parameters or result hold (a list, a dictionary,
    /// an array, a nullable, an enum), so that MessagePack need not make it by reflection.</summary>
    public static void Formatter<T>(IMessagePackFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        GeneratedFormatters.Add(formatter);
    }

    /// <summary>The generated call of <paramref name="method"/>, if its assembly was built with the generator.</summary>
    internal static Func<object?, JobArguments, Task<object?>>? For(MethodInfo method) =>
        method.DeclaringType is { } actor && Calls.TryGetValue((actor, Key(method)), out var call) ? call : null;

    /// <summary>The result of a method that returns nothing.</summary>
    public static Task<object?> Return() => Nothing;

    /// <summary>The result of a method that returns a value.</summary>
    public static Task<object?> Return<T>(T value) => Task.FromResult<object?>(value);

    /// <summary>The result of a method that returns a <see cref="Task"/>: null, once it completed.</summary>
    public static async Task<object?> Return(Task task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    /// <summary>The result of a method that returns a <see cref="Task{T}"/>: its value, once it completed.</summary>
    public static async Task<object?> Return<T>(Task<T> task) => await task.ConfigureAwait(false);

    /// <summary>The result of a method that returns a <see cref="ValueTask"/>: null, once it completed.</summary>
    public static async Task<object?> Return(ValueTask task)
    {
        await task.ConfigureAwait(false);
        return null;
    }

    /// <summary>The result of a method that returns a <see cref="ValueTask{T}"/>: its value, once it completed.</summary>
    public static async Task<object?> Return<T>(ValueTask<T> task) => await task.ConfigureAwait(false);

    /// <summary>How a method is named in the registrations: <c>Name(first,second)</c>, by its parameters' names, which
    /// tell overloads apart as far as a job (which binds by name) can.</summary>
    internal static string Key(MethodInfo method) => $"{method.Name}({string.Join(",", method.GetParameters().Select(p => p.Name))})";
}
