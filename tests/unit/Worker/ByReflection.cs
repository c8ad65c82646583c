namespace Arq.Tests.Worker;

/// <summary>The outcome suite with the actors' methods called by reflection rather than through the generated calls:
/// one suite, both paths, the same results and errors.</summary>
public sealed class WorkerOutcomeTestsByReflection : WorkerOutcomeTests
{
    protected override bool GeneratedCalls => false;
}

/// <summary>The Python values suite, by reflection.</summary>
public sealed class PythonValueTestsByReflection : PythonValueTests
{
    protected override bool GeneratedCalls => false;
}
