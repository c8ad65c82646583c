using System.Globalization;
using System.Management.Automation.Host;

namespace Arq.PowerShell.Executor;

/// <summary>
/// The host of an executor runspace. PowerShell tells only the host when a script runs <c>exit</c> (the pipeline
/// then just ends, as if the function had returned), so the host records it: a job that ran <c>exit 1</c> has failed.
/// Otherwise it is what PowerShell's default host is: no user interface.
/// </summary>
internal sealed class JobHost : PSHost
{
    /// <summary>The code of the last <c>exit</c> a script ran in this runspace; null until one does.</summary>
    public int? ExitCode { get; set; }

    public override void SetShouldExit(int exitCode) => ExitCode = exitCode;

    public override string Name => "Arq executor";

    public override Version Version { get; } = typeof(JobHost).Assembly.GetName().Version ?? new Version(0, 0);

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override PSHostUserInterface? UI => null;

    public override CultureInfo CurrentCulture => CultureInfo.CurrentCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.CurrentUICulture;

    public override void EnterNestedPrompt() => throw new NotSupportedException("A job cannot enter a nested prompt: no one is at the executor's console.");

    public override void ExitNestedPrompt() => throw new NotSupportedException("A job cannot leave a nested prompt: no one is at the executor's console.");

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }
}
