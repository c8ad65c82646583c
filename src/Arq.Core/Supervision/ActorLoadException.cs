namespace Arq.Supervision;

/// <summary>Actors could not be loaded: the message says which file, which line and why. Restarting will not help.</summary>
internal sealed class ActorLoadException(string message, Exception? innerException = null) : ArqException(message, innerException);
