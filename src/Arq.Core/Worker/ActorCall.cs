using System.Linq.Expressions;
using System.Reflection;

namespace Arq.Worker;

/// <summary>
/// Reads a call such as <c>d =&gt; d.DownloadContent(url)</c> as the job it describes: the registered name
/// (<c>Downloader.DownloadContent</c>, honouring <see cref="ActorAttribute"/> and <see cref="JobFunctionAttribute"/>)
/// and the argument values, evaluated now. Parameters the worker injects (CancellationToken, JobContext) are left out.
/// </summary>
internal static class ActorCall
{
    public static (string Function, object?[] Args) Read(LambdaExpression call)
    {
        // A method that returns a value type comes boxed, as Func<TActor, object?> asks: look through the conversion.
        var body = call.Body is UnaryExpression { NodeType: ExpressionType.Convert } boxed ? boxed.Operand : call.Body;
        if (body is not MethodCallExpression { Object: ParameterExpression } method)
            throw new ArgumentException("Pass a call of one method on the actor, such as d => d.DownloadContent(url).", nameof(call));
        var attribute = method.Method.GetCustomAttribute<JobFunctionAttribute>()
            ?? throw new ArgumentException($"{method.Method.DeclaringType?.Name}.{method.Method.Name} is not marked [JobFunction].", nameof(call));
        var actorType = ((ParameterExpression)method.Object).Type;
        var args = method.Method.GetParameters()
            .Select((parameter, i) => (parameter, argument: method.Arguments[i]))
            .Where(p => !ArgumentBinder.IsInjected(p.parameter.ParameterType))
            .Select(p => Evaluate(p.argument))
            .ToArray();
        return (JobNames.Of(actorType, method.Method, attribute), args);
    }

    private static object? Evaluate(Expression argument) => argument is ConstantExpression constant
        ? constant.Value
        : Expression.Lambda<Func<object?>>(Expression.Convert(argument, typeof(object))).Compile(preferInterpretation: true)();
}
