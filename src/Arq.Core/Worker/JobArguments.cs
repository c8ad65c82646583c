using System.ComponentModel;

namespace Arq.Worker;

/// <summary>
/// A job's arguments paired with a job function's parameters, by the binder's rules, not yet decoded: the code Arq's
/// source generator writes reads each with <see cref="Get{T}"/>, typed, so that no reflection calls the method.
/// Not for hand-written code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct JobArguments
{
    private readonly ArgumentBinder binder;
    private readonly JobContext context;
    private readonly PackedValue?[] values;

    internal JobArguments(ArgumentBinder binder, JobContext context, PackedValue?[] values)
    {
        this.binder = binder;
        this.context = context;
        this.values = values;
    }

    /// <summary>The value of the method's parameter at <paramref name="index"/>: its argument decoded as
    /// <typeparamref name="T"/>, its default, the job's <see cref="CancellationToken"/> or its <see cref="JobContext"/>.</summary>
    /// <exception cref="ArgumentBindingException">The argument does not fit the parameter.</exception>
    public T Get<T>(int index) => binder.Get<T>(context, values[index], index);

    internal object? GetObject(int index) => binder.GetObject(context, values[index], index);
}
