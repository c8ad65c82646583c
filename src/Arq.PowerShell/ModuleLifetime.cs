using System.Management.Automation;

namespace Arq.PowerShell;

/// <summary>Closes the session's Redis connections when the module is removed.</summary>
public sealed class ModuleLifetime : IModuleAssemblyCleanup
{
    /// <inheritdoc/>
    public void OnRemove(PSModuleInfo psModuleInfo) => ClientCache.Clear();
}
