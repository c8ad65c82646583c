using System.Management.Automation.Language;
using Arq.Worker;

using Arq.Hosting;

namespace Arq.PowerShell.Executor;

/// <summary>
/// The job functions of an actors script: every class is an actor whose public instance methods are job functions
/// (<c>ClassName.MethodName</c>), and every top-level function is a job function by its name. The script is parsed
/// first, so that a syntax error or a class without methods is reported with its file and line before any runspace
/// runs it.
/// </summary>
internal static class PowerShellActors
{
    public static (IReadOnlyList<JobFunction> Functions, RunspaceSlots Slots) Load(string path, int capacity, Action<string> warn)
    {
        var script = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0)
        {
            var first = errors[0];
            throw new ActorLoadException($"{path}:{first.Extent.StartLineNumber}:{first.Extent.StartColumnNumber}: {first.Message}" +
                (errors.Length > 1 ? $" (and {errors.Length - 1} more parse errors)" : ""));
        }
        var statements = script.EndBlock?.Statements ?? (IEnumerable<StatementAst>)[];
        var definitions = new List<Func<RunspaceSlots, JobFunction>>();
        foreach (var function in statements.OfType<FunctionDefinitionAst>())
            definitions.Add(slots => new PowerShellJobFunction(function.Name, function.Name, null, null, slots, warn));
        foreach (var type in statements.OfType<TypeDefinitionAst>().Where(t => t.IsClass))
        {
            var methods = type.Members.OfType<FunctionMemberAst>().Where(m => !m.IsConstructor && !m.IsHidden && !m.IsStatic).ToList();
            if (methods.Count == 0)
                throw new ActorLoadException($"{path}:{type.Extent.StartLineNumber}: the class {type.Name} has no job functions. " +
                    "Every class in an actors script is an actor: give it a public instance method, or move it to a module.");
            foreach (var method in methods)
            {
                var parameters = method.Parameters.Select(p => p.Name.VariablePath.UserPath).ToList();
                definitions.Add(slots => new PowerShellJobFunction($"{type.Name}.{method.Name}", method.Name, type.Name, parameters, slots, warn));
            }
        }
        if (definitions.Count == 0)
            throw new ActorLoadException($"{path}: defines no classes or functions, so there is no job function to run.");

        var slots = new RunspaceSlots(path, capacity);
        return (definitions.Select(define => define(slots)).ToList(), slots);
    }
}
