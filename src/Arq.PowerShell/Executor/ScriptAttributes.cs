using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using Arq.Supervision;
using Arq.Worker;

namespace Arq.PowerShell.Executor;

/// <summary>
/// Reads Arq's attributes from an actors script's syntax tree, before any of it runs: <c>[ArqFunction(...)]</c>
/// (<see cref="JobFunctionAttribute"/>), <c>[ArqCron(...)]</c> (<see cref="CronAttribute"/>) and
/// <c>[ArqHook(...)]</c> (<see cref="ArqHookAttribute"/>), on a function's param block or a class method. Their
/// arguments must be constants; a mistake is reported with the script's file and line.
/// </summary>
internal static class ScriptAttributes
{
    /// <summary>The short names scripts use; the module registers them as type accelerators.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Accelerators = new Dictionary<string, Type>
    {
        ["ArqFunction"] = typeof(JobFunctionAttribute),
        ["ArqCron"] = typeof(CronAttribute),
        ["ArqHook"] = typeof(ArqHookAttribute),
    };

    /// <summary>The attributes of a top-level function (on its param block) or of a class method.</summary>
    public static IEnumerable<AttributeAst> Of(Ast member) => member switch
    {
        FunctionDefinitionAst function => function.Body.ParamBlock?.Attributes ?? (IEnumerable<AttributeAst>)[],
        FunctionMemberAst method => method.Attributes.OfType<AttributeAst>(),
        _ => [],
    };

    /// <summary>The attribute of type <typeparamref name="T"/> among <paramref name="attributes"/>, built from
    /// the script's arguments, or null.</summary>
    public static T? Find<T>(IEnumerable<AttributeAst> attributes, string path) where T : Attribute
    {
        var shortName = Accelerators.First(a => a.Value == typeof(T)).Key;
        var ast = attributes.FirstOrDefault(a => Names(shortName, typeof(T)).Contains(a.TypeName.FullName, StringComparer.OrdinalIgnoreCase));
        if (ast is null) return null;
        var where = $"{path}:{ast.Extent.StartLineNumber}: {ast.Extent.Text}";
        try
        {
            var attribute = (T)Activator.CreateInstance(typeof(T), ast.PositionalArguments.Select(a => a.SafeGetValue()).ToArray())!;
            foreach (var named in ast.NamedArguments)
            {
                var property = typeof(T).GetProperty(named.ArgumentName, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                if (property?.CanWrite != true)
                    throw new ActorLoadException($"{where}: [{shortName}] has no setting '{named.ArgumentName}'; " +
                        $"it has: {string.Join(", ", typeof(T).GetProperties().Where(p => p.CanWrite).Select(p => p.Name))}.");
                var value = named.ExpressionOmitted ? true : named.Argument.SafeGetValue();
                property.SetValue(attribute, LanguagePrimitives.ConvertTo(value, property.PropertyType, CultureInfo.InvariantCulture));
            }
            return attribute;
        }
        catch (Exception e) when (e is InvalidOperationException or MissingMethodException or PSInvalidCastException or TargetInvocationException)
        {
            var reason = e is MissingMethodException ? "its arguments do not fit" : (e.InnerException ?? e).Message;
            throw new ActorLoadException($"{where}: {reason}", e);
        }
    }

    private static string[] Names(string shortName, Type type) =>
        [shortName, shortName + "Attribute", type.FullName!, type.FullName![..^"Attribute".Length]];
}
