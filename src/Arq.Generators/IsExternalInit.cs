namespace System.Runtime.CompilerServices;

/// <summary>Records on netstandard2.0, which Roslyn loads generators for, need this marker the newer runtimes ship.</summary>
internal static class IsExternalInit;
