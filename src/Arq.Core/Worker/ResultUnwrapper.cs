using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Arq.Worker;

/// <summary>Turns what a method returned (a value, Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;) into its awaited
/// result, for methods called by reflection (generated calls await by static type).</summary>
internal static class ResultUnwrapper
{
    [RequiresDynamicCode("Awaits Task<T> and ValueTask<T> through a generic method made for T at run time.")]
    public static Func<object?, Task<object?>> For(Type returnType)
    {
        if (returnType == typeof(void)) return _ => Task.FromResult<object?>(null);
        if (returnType == typeof(Task)) return async returned => { await ((Task)returned!).ConfigureAwait(false); return null; };
        if (returnType == typeof(ValueTask)) return async returned => { await ((ValueTask)returned!).ConfigureAwait(false); return null; };
        if (returnType.IsGenericType && (returnType.GetGenericTypeDefinition() == typeof(Task<>) || returnType.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            var awaiter = returnType.GetGenericTypeDefinition() == typeof(Task<>) ? nameof(AwaitTask) : nameof(AwaitValueTask);
            return typeof(ResultUnwrapper).GetMethod(awaiter, BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(returnType.GetGenericArguments()).CreateDelegate<Func<object?, Task<object?>>>();
        }
        return returned => Task.FromResult(returned);
    }

    private static async Task<object?> AwaitTask<T>(object? returned) => await ((Task<T>)returned!).ConfigureAwait(false);

    private static async Task<object?> AwaitValueTask<T>(object? returned) => await ((ValueTask<T>)returned!).ConfigureAwait(false);
}
