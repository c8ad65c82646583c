using System.Management.Automation.Language;
using Arq.Supervision;
using Arq.Worker;

namespace Arq.PowerShell.Executor;

/// <summary>
/// The job functions of an actors script: every class is an actor whose public instance methods are job functions
/// (<c>ClassName.MethodName</c>), and every top-level function is a job function by its name. <c>[ArqFunction(...)]</c>
/// gives one its own settings, <c>[ArqCron(...)]</c> makes it a cron job (<c>cron:Name</c>) and <c>[ArqHook(...)]</c>
/// a worker hook instead. The script is parsed first, so that a syntax error, a bad attribute or a class without
/// methods is reported with its file and line before any runspace runs it.
/// </summary>
internal static class PowerShellActors
{
    /// <summary>Registers the script's job functions, cron jobs and hooks; returns the runspaces that run them.</summary>
    public static ActorRunspaces Load(string path, int capacity, FunctionRegistry functions, Action<string> warn)
    {
        var registrations = Read(path);
        var runspaces = new ActorRunspaces(path, capacity, registrations.Where(r => r.Member.Class is null).Select(r => r.Member.Name).ToList(), warn);
        foreach (var registration in registrations) registration.Register(functions, runspaces, warn);
        return runspaces;
    }

    /// <summary>The script's job functions (cron jobs included, hooks not) by the names jobs use, each with the
    /// function or method that runs it: what Invoke-ArqJob calls in a test session.</summary>
    public static IReadOnlyDictionary<string, (string Member, string? Class, IReadOnlyList<string> Parameters)> JobFunctions(string path) =>
        Read(path).Where(r => r.JobName is not null)
            .ToDictionary(r => r.JobName!, r => (r.Member.Name, r.Member.Class, r.Member.Parameters), StringComparer.Ordinal);

    private static List<Registration> Read(string path)
    {
        var script = Parser.ParseFile(path, out _, out var errors);
        if (errors.Length > 0)
        {
            var first = errors[0];
            throw new ActorLoadException($"{path}:{first.Extent.StartLineNumber}:{first.Extent.StartColumnNumber}: {first.Message}" +
                (errors.Length > 1 ? $" (and {errors.Length - 1} more parse errors)" : ""));
        }
        var statements = script.EndBlock?.Statements ?? (IEnumerable<StatementAst>)[];
        var members = new List<Member>();
        foreach (var function in statements.OfType<FunctionDefinitionAst>())
            members.Add(new Member(function, function.Name, null, DeclaredParameters(function)));
        foreach (var type in statements.OfType<TypeDefinitionAst>().Where(t => t.IsClass))
        {
            var methods = type.Members.OfType<FunctionMemberAst>().Where(m => !m.IsConstructor && !m.IsHidden && !m.IsStatic).ToList();
            if (methods.Count == 0)
                throw new ActorLoadException($"{path}:{type.Extent.StartLineNumber}: the class {type.Name} has no job functions. " +
                    "Every class in an actors script is an actor: give it a public instance method, or move it to a module.");
            members.AddRange(methods.Select(m => new Member(m, m.Name, type.Name, m.Parameters.Select(p => p.Name.VariablePath.UserPath).ToList())));
        }
        if (members.Count == 0)
            throw new ActorLoadException($"{path}: defines no classes or functions, so there is no job function to run.");
        return members.Select(member => Read(member, path)).ToList();
    }

    /// <summary>What a member of the script is, read from its attributes: a hook, a cron job or a job function.</summary>
    private static Registration Read(Member member, string path)
    {
        var attributes = ScriptAttributes.Of(member.Ast).ToList();
        var display = JobNames.Of(member.Class, member.Name);
        if (ScriptAttributes.Find<ArqHookAttribute>(attributes, path) is { } hook)
        {
            var when = ArqHookAttribute.Points.FirstOrDefault(p => p.Equals(hook.When, StringComparison.OrdinalIgnoreCase))
                ?? throw new ActorLoadException($"{path}:{member.Ast.Extent.StartLineNumber}: {display} is marked [ArqHook('{hook.When}')], " +
                    $"but the hook points are: {string.Join(", ", ArqHookAttribute.Points)}.");
            return new Registration(null, member, (functions, runspaces, _) => functions.AddHooks(new PowerShellHook(when, member.Name, member.Class, runspaces)));
        }
        if (ScriptAttributes.Find<CronAttribute>(attributes, path) is { } cron)
        {
            var options = Checked(member, path, cron.ToOptions);
            var cronName = JobNames.Cron(cron.Name ?? display);
            return new Registration(cronName, member, (functions, runspaces, warn) => Checked(member, path, () => functions.AddCron(
                new PowerShellJobFunction(cronName, member.Name, member.Class, member.Parameters, runspaces, warn, options.ToSettings()),
                cron.Schedule, options)));
        }
        var attribute = ScriptAttributes.Find<JobFunctionAttribute>(attributes, path);
        var name = attribute?.Name is { } rename ? JobNames.Of(member.Class, rename) : display;
        var settings = attribute is null ? null : Checked(member, path, attribute.ToSettings);
        return new Registration(name, member, (functions, runspaces, warn) => functions.Add(
            new PowerShellJobFunction(name, member.Name, member.Class, member.Parameters, runspaces, warn, settings)));
    }

    private static T Checked<T>(Member member, string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ArgumentException e)
        {
            throw new ActorLoadException($"{path}:{member.Ast.Extent.StartLineNumber}: {e.Message}", e);
        }
    }

    /// <summary>The parameters a function declares, with their aliases: the only names a job may bind. PowerShell
    /// would also bind common parameters (-OutVariable, -ErrorAction, -Confirm ...) of an advanced function, which
    /// let a job write the runspace's variables or switch off its checks.</summary>
    private static List<string> DeclaredParameters(FunctionDefinitionAst function)
    {
        var parameters = function.Parameters ?? function.Body.ParamBlock?.Parameters ?? (IEnumerable<ParameterAst>)[];
        return parameters.SelectMany(p => p.Attributes.OfType<AttributeAst>()
                .Where(a => a.TypeName.GetReflectionType() == typeof(System.Management.Automation.AliasAttribute))
                .SelectMany(a => a.PositionalArguments.OfType<StringConstantExpressionAst>().Select(alias => alias.Value))
                .Prepend(p.Name.VariablePath.UserPath))
            .ToList();
    }

    /// <summary>A top-level function (no class; its declared parameters, bound by PowerShell) or a class method
    /// (its parameters in order, to place named arguments).</summary>
    private sealed record Member(Ast Ast, string Name, string? Class, IReadOnlyList<string> Parameters);

    /// <summary>A member read from the script: the name jobs call it by (none for a hook) and how to register it.</summary>
    private sealed record Registration(string? JobName, Member Member, Action<FunctionRegistry, ActorRunspaces, Action<string>> Register);
}
