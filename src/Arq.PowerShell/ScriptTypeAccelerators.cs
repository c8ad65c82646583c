using System.Management.Automation;
using Arq.PowerShell.Executor;

namespace Arq.PowerShell;

/// <summary>
/// Lets actors scripts write <c>[ArqFunction(...)]</c>, <c>[ArqCron(...)]</c> and <c>[ArqHook(...)]</c> without a
/// namespace, by PowerShell's type accelerators: the way the PowerShell documentation shows for a module to
/// export types (about_Classes_and_Modules). Added on import, removed on removal.
/// </summary>
internal static class ScriptTypeAccelerators
{
    private static readonly Type? Accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");

    public static void Add()
    {
        var add = Accelerators?.GetMethod("Add", [typeof(string), typeof(Type)]);
        foreach (var (name, type) in ScriptAttributes.Accelerators) add?.Invoke(null, [name, type]);
    }

    public static void Remove()
    {
        var remove = Accelerators?.GetMethod("Remove", [typeof(string)]);
        foreach (var name in ScriptAttributes.Accelerators.Keys) remove?.Invoke(null, [name]);
    }
}
