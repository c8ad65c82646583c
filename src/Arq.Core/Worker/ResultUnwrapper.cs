using System.Reflection;

namespace Arq.Worker;

/// <summary>Turns what a method returned (a value, Task, Task&lt;T&gt;, ValueTask, ValueTask&lt;T&gt;) into its awaited result.</summary>
internal static class ResultUnwrapper
{
    public static Func<object?, Task<object?>> For(Type returnType)
    {
        if (returnType == typeof(void)) return _ => Task.FromResult<object?>(null);
        if (returnType == typeof(Task)) return async returned => { await ((Task)returned!).ConfigureAwait(false); return null; };
        if (returnType == typeof(ValueTask)) return async returned => { await ((ValueTask)returned!).ConfigureAwait(false); return null; };
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            var result = returnType.GetProperty(nameof(Task<int>.Result))!;
            return async returned =>
            {
                await ((Task)returned!).ConfigureAwait(false);
                return result.GetValue(returned);
            };
        }
        if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = returnType.GetMethod(nameof(ValueTask<int>.AsTask))!;
            var inner = For(asTask.ReturnType);
            return returned => inner(asTask.Invoke(returned, null));
        }
        return returned => Task.FromResult(returned);
    }
}
