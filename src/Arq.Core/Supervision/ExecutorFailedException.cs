namespace Arq.Supervision;

/// <summary>The executor could not be kept running: its actors failed to load, or it kept dying.</summary>
internal sealed class ExecutorFailedException(string message) : ArqException(message);
